"""One name rule for units and districts (issue 18), enforced on import, on load and by the
planner, whatever the manifest says.

``lawnb.names.name_problem`` refuses control, line-separator and invisible format characters
(bidi overrides, zero width), path syntax, Windows-reserved device names, blank space at either
end or a trailing dot, and names longer than ``MAX_NAME_LENGTH``. A refused name is refused by
every stage with a ``LawnbError`` naming the field; an accepted name never makes a path outside
the outputs folder; every real unit and district is accepted.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml
from dataset_helpers import demo_copy, demo_report, edit_csv, read_csv
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from lawnb.bundled import bundled_path
from lawnb.errors import LawnbError, ParamsError
from lawnb.names import MAX_NAME_LENGTH, is_unsafe_name, name_problem
from lawnb.read.reader import read_report
from lawnb.run.batch import plan_jobs
from lawnb.run.layout import page_stem
from lawnb.store.corrections import read_corrections
from lawnb.store.dataset import TABLES
from lawnb.store.loading import assemble, load_dataset
from lawnb.store.sheets import read_csv_table
from lawnb.store.staging import read_manifest, validation_record

REPO = Path(__file__).resolve().parents[2]
REPORT_TEXT = demo_report("东湖镇", 2021).read_text(encoding="utf-8")
SLOW = settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

# --- strategies -------------------------------------------------------------------------------

CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
#: Names as real units and districts are: a few CJK characters.
cjk_names = st.text(CJK, min_size=1, max_size=15)
#: Control (Cc), line and paragraph separators, and format characters (Cf): bidi controls,
#: zero-width characters, BOM, soft hyphen, word joiner.
INVISIBLE = [
    chr(c)
    for c in (
        *range(0x00, 0x20),
        *(0x7F, 0x85, 0x2028, 0x2029, 0xAD, 0x61C, 0x2060, 0xFEFF),
        *range(0x200B, 0x2010),
        *range(0x202A, 0x202F),
        *range(0x2066, 0x206A),
    )
]
PATH_INSIDE = ["/", "\\", "..", "../", "..\\", "/../"]
PATH_START = [".", "..", "./", "/", "\\", "C:", "c:", "Z:\\", "../../"]
RESERVED = ["CON", "PRN", "AUX", "NUL", "CONIN$"] + [
    f"{d}{n}" for d in ("COM", "LPT") for n in "19"
]


def _case(name: str, how: int) -> str:
    return (name.upper(), name.lower(), name.title())[how]


refused_names = st.one_of(
    st.builds(
        lambda a, bad, b: a + bad + b,
        cjk_names,
        st.sampled_from(INVISIBLE + PATH_INSIDE),
        st.text(CJK, max_size=5),
    ),
    st.builds(lambda bad, a: bad + a, st.sampled_from(PATH_START), cjk_names),
    st.builds(
        lambda dev, how, ext: _case(dev, how) + ext,
        st.sampled_from(RESERVED),
        st.integers(0, 2),
        st.sampled_from(["", ".txt", ".html", ".tar.gz", " .x", "  "]),
    ),
    st.builds(
        lambda a, end: a + end, cjk_names, st.sampled_from([".", " ", "\u3000", "\t", "。."])
    ),
    st.builds(lambda end, a: end + a, st.sampled_from([" ", "\u3000"]), cjk_names),
    st.text(CJK, min_size=MAX_NAME_LENGTH + 1, max_size=3 * MAX_NAME_LENGTH),
)
#: Refused names a CSV cell can hold (a NUL byte makes the whole file refused as binary).
refused_cells = refused_names.map(lambda name: name.replace("\x00", "")).filter(name_problem)
#: Anything a hand-edited table or a caller may hold: real-looking, refused, or arbitrary text.
any_names = st.one_of(cjk_names, refused_names, st.text(min_size=1, max_size=2 * MAX_NAME_LENGTH))


# --- the rule -------------------------------------------------------------------------------


@given(refused_names)
def test_the_strategy_makes_refused_names_and_the_rule_says_why(name):
    problem = name_problem(name)
    assert problem and is_unsafe_name(name)
    assert len(problem) < 80  # a reason, never the name itself


def test_the_length_limit_is_a_boundary():
    assert name_problem("镇" * MAX_NAME_LENGTH) is None
    assert "太长" in name_problem("镇" * (MAX_NAME_LENGTH + 1))


def _real_names(shared_dir: Path) -> set[str]:
    names: set[str] = set()
    keys = [*sorted((shared_dir / "realworld" / "keys").glob("*.yaml"))]
    keys += sorted((REPO / "tests" / "fixtures").rglob("*.yaml"))
    for file in keys:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
        if isinstance(data, dict):
            names |= {data[k] for k in ("unit", "district") if isinstance(data.get(k), str)}
    for bundled in ("demo", "sample"):
        reports = read_csv(bundled_path(bundled) / "reports.csv")
        names |= set(reports["unit"]) | set(reports["district"])
    return {name for name in names if name}


def test_every_real_unit_and_district_is_accepted(shared_dir):
    names = _real_names(shared_dir)
    assert len(names) > 50
    assert {name: name_problem(name) for name in names if name_problem(name)} == {}
    assert max(map(len, names)) <= MAX_NAME_LENGTH // 2  # the limit stays well above them


# --- on import ------------------------------------------------------------------------------


@given(refused_names, st.sampled_from(["unit", "district"]))
def test_a_refused_name_is_refused_on_import(name, field):
    with pytest.raises(LawnbError, match=rf"\({field}\)"):
        read_report(REPORT_TEXT, **{field: name})


# --- on load, whatever the manifest says ----------------------------------------------------


def _edit_by_hand(folder: Path, column: str, name: str) -> None:
    """Put ``name`` in a ``column`` of reports.csv; the manifest still says validated."""

    def change(frame: pd.DataFrame) -> None:
        frame.loc[frame.index[0], column] = name

    edit_csv(folder / "reports.csv", change)
    manifest_file = folder / "manifest.json"
    manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    manifest["validated"] = validation_record(folder)  # as if this lawnb had saved the edit
    manifest_file.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")


@pytest.mark.slow
@SLOW
@given(refused_cells, st.sampled_from(["unit", "district"]))
def test_a_refused_name_is_refused_on_load_even_when_the_manifest_says_validated(
    tmp_path_factory, name, column
):
    folder = demo_copy(tmp_path_factory.mktemp("load"))
    _edit_by_hand(folder, column, name)
    # The CSV reader may normalise a line break inside a cell ("一\r" reads as "一", a safe
    # name): only names that reach the loader as written are this test's business.
    assume(read_csv(folder / "reports.csv").loc[0, column] == name)
    with pytest.raises(LawnbError, match=rf"reports\.csv: 第 \d+ 行，列 {column}："):
        load_dataset(folder)
    shutil.rmtree(folder)


def test_an_untouched_validated_dataset_still_loads(tmp_path):
    folder = demo_copy(tmp_path)
    _edit_by_hand(folder, "unit", read_csv(folder / "reports.csv").loc[0, "unit"])
    assert load_dataset(folder).units()


# --- by the planner ---------------------------------------------------------------------------


def _unchecked(folder: str) -> object:
    """A dataset as it is on disk, without any validation (a loader that trusts the files)."""
    path = Path(folder)
    texts = {name: read_csv_table(path / f"{name}.csv") for name in TABLES}
    corrections, _ = read_corrections(path, set(texts["reports"]["report_id"]))
    return assemble(texts, corrections, read_manifest(path), path, str(path))


def _plan(folder: Path, outputs: Path) -> list:
    params = folder.parent / "params" / "2021.yaml"
    params.parent.mkdir(exist_ok=True)
    params.write_text(f"year: 2021\ndataset: {json.dumps(str(folder))}\n", encoding="utf-8")
    return plan_jobs(
        [params], open_dataset=_unchecked, notebooks_dir=REPO / "notebooks", outputs=outputs
    )


@pytest.mark.slow
@SLOW
@given(refused_cells, st.sampled_from(["unit", "district"]))
def test_a_refused_name_is_refused_by_the_planner(tmp_path_factory, name, column):
    root = tmp_path_factory.mktemp("plan")
    folder = demo_copy(root)
    _edit_by_hand(folder, column, name)
    # As on load: a line break inside a CSV cell may not reach the planner as written.
    assume(read_csv(folder / "reports.csv").loc[0, column] == name)
    outputs = root / "outputs"
    with pytest.raises(ParamsError, match=rf"\({column}\)"):
        _plan(folder, outputs)
    assert not outputs.exists()


@given(any_names, any_names)
def test_an_accepted_name_never_makes_a_path_outside_the_outputs(tmp_path_factory, district, unit):
    year_folder = tmp_path_factory.getbasetemp() / "outputs" / "2021"
    try:
        stem = page_stem(year_folder, district, unit, "params/2021.yaml")
    except ParamsError as exc:
        assert name_problem(district) or name_problem(unit) or not unit.strip()
        assert "(district)" in str(exc) or "(unit)" in str(exc)
        return
    assert not name_problem(district) and not name_problem(unit)
    relative = stem.resolve().relative_to(year_folder.resolve())
    assert len(relative.parts) == 2 and relative.parts[1] == unit
    assert len(stem.name.encode()) + len(".ipynb") + 30 < 255  # a file name, temp names too


def test_the_planner_plans_hand_edited_but_accepted_names_inside_outputs(tmp_path):
    folder = demo_copy(tmp_path)
    _edit_by_hand(folder, "district", "示例区（新）")
    outputs = tmp_path / "outputs"
    jobs = _plan(folder, outputs)
    assert jobs
    for job in jobs:
        assert job.html_path.resolve().is_relative_to((outputs / "2021").resolve())
