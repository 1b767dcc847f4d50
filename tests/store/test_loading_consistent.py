"""A reader loading a dataset while imports replace it sees one revision, never a mix.

One process alternates two versions of the same fictional report (same unit and year, other
figures) into a dataset folder, 200 imports; another loops over ``load_dataset`` meanwhile and
writes down, for each load, the report's length and its number of facts. Each pair must be
one of the two versions': a reports.csv of one import read with the facts.csv of the next is a
mix (issue 18 saw 2 in 670 loads before the loader checked that the folder stayed the same).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from dataset_helpers import demo_report

from lawnb.store.importing.reports import import_reports
from lawnb.store.loading import LOAD_ATTEMPTS, _identity, check_dataset, load_dataset

pytestmark = pytest.mark.slow  # 200 imports against a reading process

IMPORTS = 200

READER = r"""
import sys, pathlib
from lawnb.store.loading import load_dataset
folder, stop, log = (pathlib.Path(p) for p in sys.argv[1:4])
with open(log, "w", encoding="utf-8") as out:
    while not stop.exists():
        try:
            ds = load_dataset(folder)
        except Exception as exc:  # a load that fails is a finding too
            print("ERROR", type(exc).__name__, str(exc).replace("\n", " ")[:300], file=out, flush=True)
            continue
        n_chars = ",".join(str(v) for v in ds.reports["n_chars"])
        print(n_chars, len(ds.facts), sorted(set(ds.facts["report_id"])) == sorted(ds.reports["report_id"]), file=out, flush=True)
"""


def _signature(folder: Path) -> str:
    ds = load_dataset(folder)
    n_chars = ",".join(str(v) for v in ds.reports["n_chars"])
    return f"{n_chars} {len(ds.facts)} True"


def test_loads_during_200_imports_never_mix_two_revisions(tmp_path):
    first, second = _two_versions(tmp_path)
    folder = tmp_path / "ds"
    versions = []
    for source in (first, second):
        import_reports([source], folder, force=True)
        versions.append(_signature(folder))
    assert versions[0] != versions[1], "the two versions must differ in length and facts"

    stop, log = tmp_path / "stop", tmp_path / "loads.txt"
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(folder), str(stop), str(log)],
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    try:
        for i in range(IMPORTS):
            import_reports([(first, second)[i % 2]], folder, force=True)
    finally:
        stop.touch()
        reader.wait(timeout=60)
    seen = log.read_text(encoding="utf-8").splitlines()
    assert len(seen) >= 50, f"the reader loaded only {len(seen)} times"
    strange = [line for line in seen if line not in versions]
    assert not strange, f"{len(strange)} of {len(seen)} loads were neither version: {strange[:5]}"


def _two_versions(tmp_path: Path) -> tuple[Path, Path]:
    first = demo_report("东湖镇", 2021)
    second = tmp_path / "versions" / first.name
    second.parent.mkdir()
    # The same report with its last paragraphs dropped: fewer characters and fewer facts.
    lines = first.read_text(encoding="utf-8").splitlines()
    second.write_text("\n".join(lines[: len(lines) * 2 // 3]) + "\n", encoding="utf-8")
    return first, second


def test_a_save_between_two_tables_of_one_load_is_not_mixed_in(tmp_path, monkeypatch):
    """Deterministic: an import swaps the folder after reports.csv was read, before facts.csv."""
    import lawnb.store.loading as loading

    first, second = _two_versions(tmp_path)
    folder = tmp_path / "ds"
    import_reports([second], folder)
    expected_second = _signature(folder)
    import_reports([first], folder, force=True)
    read_table = loading.read_csv_table
    swapped = []

    def read_then_swap(file):
        if Path(file).name == "facts.csv" and not swapped:
            swapped.append(True)
            import_reports([second], folder, force=True)
        return read_table(file)

    monkeypatch.setattr(loading, "read_csv_table", read_then_swap)
    dataset = load_dataset(folder)
    monkeypatch.setattr(loading, "read_csv_table", read_table)
    assert swapped
    n_chars = ",".join(str(v) for v in dataset.reports["n_chars"])
    assert f"{n_chars} {len(dataset.facts)} True" == expected_second


def test_a_folder_replaced_at_every_read_gives_up_with_a_clear_error(tmp_path, monkeypatch):
    """When the folder changes under every attempt, the loader says so instead of looping."""
    import lawnb.store.loading as loading

    folder = tmp_path / "ds"
    import_reports([demo_report("东湖镇", 2021)], folder)
    calls = []

    def moving_identity(path):
        calls.append(path)
        return (0, len(calls), 0)  # different before and after every read

    monkeypatch.setattr(loading, "_identity", moving_identity)
    with pytest.raises(loading.DatasetError, match="反复替换") as caught:
        check_dataset(folder)
    assert str(folder) in str(caught.value)
    assert len(calls) == 2 * LOAD_ATTEMPTS


def test_identity_changes_when_a_save_swaps_the_folder(tmp_path):
    folder = tmp_path / "ds"
    import_reports([demo_report("东湖镇", 2021)], folder)
    before = _identity(folder)
    import_reports([demo_report("东湖镇", 2021)], folder, force=True)
    assert _identity(folder) != before
    assert _identity(tmp_path / "missing") is None
