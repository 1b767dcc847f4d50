"""The catalogue of bad inputs (tests/bad_inputs/catalogue.yaml): every one fails clearly.

Each case is fed to the API and to the ``lawnb`` command (in this process, through
``lawnb.cli.main``). It must give the ``LawnbError`` subclass of the catalogue with a message
that matches the catalogue's regex and names the file, line or field; the command must print it
without a traceback and exit with status 2; and nothing may be written: the case's temp folder
(its input, a dataset folder and an outputs folder made beforehand) is compared byte for byte
before and after. Big and binary inputs are generated here, in the temp folder.

``test_zz_summary`` prints the summary line CI shows:
``bad inputs: N tried, 0 tracebacks, 0 partial files``. It does not depend on running last:
a case the session has not run yet (the summary selected alone, another order) is fed there.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import random
import re
import shutil
import struct
import sys
import traceback
import zipfile
import zlib
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml

import lawnb.errors
from lawnb.bundled import bundled_path
from lawnb.cli import main
from lawnb.errors import LawnbError
from lawnb.read.sources import MAX_BYTES
from lawnb.store.importing.reports import import_reports
from lawnb.store.loading import load_dataset

HERE = Path(__file__).resolve().parent
CATALOGUE_DIR = HERE / "bad_inputs"
CATALOGUE = yaml.safe_load((CATALOGUE_DIR / "catalogue.yaml").read_text(encoding="utf-8"))
CASES: list[dict[str, Any]] = CATALOGUE["cases"]
ACCEPTED: list[dict[str, Any]] = CATALOGUE["accepted"]
REPO = HERE.parent

sys.path.insert(0, str(HERE / "fixtures"))
from formats import build_variants  # noqa: E402

# What each case did, for the summary line: id -> {"traceback": bool, "partial": bool,
# "xfail": bool, "failed": the first line of its failure or ""}.
TALLY: dict[str, dict[str, Any]] = {}


# ---------------------------------------------------------------------------------------------
# Generators: inputs made at test time (never committed)
# ---------------------------------------------------------------------------------------------


def _source(spec: dict[str, Any]) -> str:
    if "text" in spec:
        return spec["text"]
    return (CATALOGUE_DIR / spec["from"]).read_text(encoding="utf-8")


def tiny_png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


def _docx_bytes(text: str | None, work: Path) -> bytes:
    import docx

    document = docx.Document()
    for line in (text or "").splitlines():
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def gen_raw(dst: Path, spec: dict[str, Any], work: Path) -> None:
    dst.write_bytes(bytes.fromhex(spec["hex"]))


def gen_random_bytes(dst: Path, spec: dict[str, Any], work: Path) -> None:
    rng = random.Random(20240909)
    low = 0 if spec["nul"] else 1
    data = bytes(rng.randrange(low, 256) for _ in range(spec["size"]))
    dst.write_bytes((b"\x00" + data[1:]) if spec["nul"] else data)


def gen_png(dst: Path, spec: dict[str, Any], work: Path) -> None:
    dst.write_bytes(tiny_png())


def gen_copy(dst: Path, spec: dict[str, Any], work: Path) -> None:
    shutil.copyfile(CATALOGUE_DIR / spec["from"], dst)


def gen_ole(dst: Path, spec: dict[str, Any], work: Path) -> None:
    dst.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))


def gen_directory(dst: Path, spec: dict[str, Any], work: Path) -> None:
    dst.mkdir()
    (dst / "说明.md").write_text("不是报告", encoding="utf-8")


def gen_missing(dst: Path, spec: dict[str, Any], work: Path) -> None:
    pass


def gen_too_large(dst: Path, spec: dict[str, Any], work: Path) -> None:
    with dst.open("wb") as handle:  # sparse: takes no disk space
        handle.truncate(MAX_BYTES + 1)


def gen_zip(dst: Path, spec: dict[str, Any], work: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("说明.txt", "这是一个压缩包，不是 Word 文档。")
    dst.write_bytes(buffer.getvalue())


def gen_docx(dst: Path, spec: dict[str, Any], work: Path) -> None:
    data = _docx_bytes(None if spec.get("empty") else _source(spec), work)
    if spec.get("truncate"):
        data = data[: int(len(data) * spec["truncate"])]
    if spec.get("break_xml"):
        source = zipfile.ZipFile(io.BytesIO(data))
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for item in source.infolist():
                body = source.read(item.filename)
                if item.filename == "word/document.xml":
                    body = body[: len(body) // 2]
                archive.writestr(item, body)
        data = buffer.getvalue()
    if spec.get("flip"):
        damaged = bytearray(data)
        at = data.find(b"word/document.xml") + 60
        for i in range(at, at + 40):
            damaged[i] ^= 0xFF
        data = bytes(damaged)
    dst.write_bytes(data)


def gen_pdf(dst: Path, spec: dict[str, Any], work: Path) -> None:
    if "text" in spec or spec.get("password"):
        from reportlab.lib import pdfencrypt
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.cidfonts import UnicodeCIDFont
        from reportlab.pdfgen import canvas

        encrypt = (
            pdfencrypt.StandardEncryption(spec["password"], ownerPassword="owner")
            if spec.get("password")
            else None
        )
        page = canvas.Canvas(str(dst), encrypt=encrypt, invariant=True)
        if "text" not in spec:
            pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
            page.setFont("STSong-Light", 12)
        for n, line in enumerate(_source(spec).splitlines()):
            page.drawString(72, 760 - 18 * n, line)
        page.save()
        return
    source = work / "pdf-source" / f"{Path(spec['from']).stem}.txt"
    source.parent.mkdir(parents=True, exist_ok=True)
    source.write_text(_source(spec), encoding="utf-8")
    kind = "pdf-scanned" if spec.get("scanned") else "pdf"
    made = build_variants(source, [kind], work / "pdf-build")[kind]
    data = made.read_bytes()
    if spec.get("truncate"):
        data = data[: int(len(data) * spec["truncate"])]
    dst.write_bytes(data)
    shutil.rmtree(work / "pdf-build")
    shutil.rmtree(source.parent)


def gen_encode(dst: Path, spec: dict[str, Any], work: Path) -> None:
    dst.write_bytes(_source(spec).encode(spec["encoding"]))


def gen_mixed(dst: Path, spec: dict[str, Any], work: Path) -> None:
    lines = _source(spec).splitlines(keepends=True)
    half = len(lines) // 2 + 1
    dst.write_bytes(
        "".join(lines[:half]).encode(spec["first"]) + "".join(lines[half:]).encode(spec["then"])
    )


GENERATORS = {name[4:]: fn for name, fn in dict(globals()).items() if name.startswith("gen_")}


def make_input(spec: dict[str, Any], folder: Path) -> Path:
    """The case's input file in ``folder``: a copy of a committed file or a generated one."""
    folder.mkdir(parents=True, exist_ok=True)
    if "file" in spec:
        return Path(shutil.copy(CATALOGUE_DIR / spec["file"], folder / spec["file"]))
    path = folder / spec["name"]
    GENERATORS[spec["generate"]](path, spec, folder.parent)
    return path


# ---------------------------------------------------------------------------------------------
# Dataset edits
# ---------------------------------------------------------------------------------------------


def _read(file: Path) -> pd.DataFrame:
    return pd.read_csv(file, encoding="utf-8-sig", dtype=str, keep_default_na=False)


def _write(frame: pd.DataFrame, file: Path) -> None:
    frame.to_csv(file, index=False, encoding="utf-8-sig", lineterminator="\n")


def make_dataset(edits: list[dict[str, Any]], folder: Path) -> Path:
    """A copy of the bundled sample dataset with the catalogue's edits applied."""
    shutil.copytree(bundled_path("sample"), folder)
    for edit in edits:
        if edit.get("missing"):
            shutil.rmtree(folder)
            continue
        if "manual" in edit:
            _write(pd.DataFrame(edit["manual"]), folder / "manual.csv")
            continue
        file = folder / f"{edit['table']}.csv"
        if edit.get("remove"):
            file.unlink()
        elif "text" in edit:
            file.write_text(edit["text"], encoding="utf-8")
        elif edit.get("png"):
            file.write_bytes(tiny_png())
        elif "encoding" in edit:
            text = file.read_text(encoding="utf-8-sig")
            if "sep" in edit:
                text = _read(file).to_csv(index=False, sep=edit["sep"], lineterminator="\n")
            file.write_bytes(text.encode(edit["encoding"]))
        elif "extra_field" in edit:
            lines = file.read_text(encoding="utf-8-sig").splitlines()
            lines[edit["extra_field"] + 1] += ",多出的一列"
            file.write_text("\ufeff" + "\n".join(lines) + "\n", encoding="utf-8")
        else:
            frame = _read(file)
            if "drop" in edit:
                frame = frame.drop(columns=[edit["drop"]])
            if "add" in edit:
                frame[edit["add"]] = "x"
            if "set" in edit:
                for column, value in edit["set"].items():
                    frame.loc[edit["row"], column] = str(value)
            if "duplicate" in edit:
                row = edit["duplicate"]
                frame = pd.concat(
                    [frame.iloc[: row + 1], frame.iloc[[row]], frame.iloc[row + 1 :]],
                    ignore_index=True,
                )
            _write(frame, file)
    return folder


# ---------------------------------------------------------------------------------------------
# Running a case
# ---------------------------------------------------------------------------------------------


def snapshot(root: Path) -> dict[str, str]:
    """Every file and folder under ``root`` with a hash of its content (folders: "dir").

    A dataset's empty lock file (``.ds.lock``, lawnb.store.locking) is not content: left out.
    """
    found = {}
    for path in sorted(root.rglob("*")):
        key = path.relative_to(root).as_posix()
        if path.name.startswith(".") and path.suffix == ".lock" and not path.stat().st_size:
            continue
        if path.is_dir():
            found[key] = "dir"
        elif path.stat().st_size > 1024 * 1024:
            found[key] = f"size:{path.stat().st_size}"  # the sparse 50 MB file
        else:
            found[key] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


class PartialWrite(AssertionError):
    """A failed input left a file behind (or changed one)."""


def assert_unchanged(root: Path, before: dict[str, str], what: str) -> None:
    after = snapshot(root)
    if after != before:
        changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
        raise PartialWrite(f"{what} wrote something: {changed}")


def _error_class(name: str) -> type[LawnbError]:
    cls = getattr(lawnb.errors, name, None) or getattr(
        __import__("lawnb.store.validation", fromlist=[name]), name
    )
    assert issubclass(cls, LawnbError)
    return cls


class Outcome:
    """What feeding one case did: the API's exception, the CLI's code and stderr."""

    def __init__(self) -> None:
        self.tracebacks: list[str] = []

    def api(self, call) -> BaseException | None:  # type: ignore[no-untyped-def]
        try:
            call()
        except LawnbError as exc:
            return exc
        except Exception:
            self.tracebacks.append(traceback.format_exc())
            raise
        return None

    def cli(self, argv: list[str], capsys) -> tuple[int, str]:  # type: ignore[no-untyped-def]
        capsys.readouterr()
        try:
            code = main(argv)
        except SystemExit as exc:  # argparse
            code = exc.code if isinstance(exc.code, int) else 2
        except Exception:
            self.tracebacks.append(traceback.format_exc())
            raise
        err = capsys.readouterr().err
        if "Traceback" in err:
            self.tracebacks.append(err)
        return code, err


def _names_where(message: str, case: dict[str, Any], where: list[str]) -> None:
    assert any(w in message for w in where), f"{case['id']}: 信息没有指出文件或字段：{message}"


def feed_report(case: dict[str, Any], root: Path, outcome: Outcome, capsys) -> None:  # type: ignore[no-untyped-def]
    from lawnb.read.reader import read_report

    path = make_input(case["input"], root / "in")
    dataset = make_dataset([], root / "ds")  # an existing dataset that must stay untouched
    options = case.get("options") or {}
    before = snapshot(root)

    if case["feed"] == "report":
        exc = outcome.api(lambda: read_report(path, **options))
        assert exc is not None, f"{case['id']}: read_report accepted the input"
        message = str(exc)
        assert isinstance(exc, _error_class(case["error"])), (type(exc), message)
    else:
        result = import_reports([path], dataset, **options)
        failures = getattr(result, "failures", None)
        if failures is None:  # (dataset, failures)
            failures = result[1]
        assert len(failures) == 1, f"{case['id']}: import_reports accepted the input"
        message = failures[0][1] if isinstance(failures[0], tuple) else failures[0].message
    assert re.search(case["match"], message, re.S), message
    _names_where(message, case, [path.name])
    assert_unchanged(root, before, "the API")

    argv = ["import", str(path), "--dataset", str(dataset)]
    for key in ("unit", "district", "year"):
        if key in options:
            argv.append(f"--{key}={options[key]}")
    code, err = outcome.cli(argv, capsys)
    assert code == 2, (code, err)
    assert re.search(case.get("cli_match") or case["match"], err, re.S), err
    _names_where(err, case, [path.name])
    assert_unchanged(root, before, "lawnb import")


def feed_dataset(case: dict[str, Any], root: Path, outcome: Outcome, capsys) -> None:  # type: ignore[no-untyped-def]
    folder = make_dataset(case["edit"], root / "ds")
    before = snapshot(root)
    exc = outcome.api(lambda: load_dataset(folder))
    assert exc is not None, f"{case['id']}: load_dataset accepted the dataset"
    assert isinstance(exc, _error_class(case["error"])), (type(exc), str(exc))
    assert re.search(case["match"], str(exc), re.S), str(exc)
    assert_unchanged(root, before, "load_dataset")

    code, err = outcome.cli(["check", "--dataset", str(folder)], capsys)
    assert code == 2, (code, err)
    assert re.search(case["match"], err, re.S), err
    assert_unchanged(root, before, "lawnb check")


def feed_params(case: dict[str, Any], root: Path, outcome: Outcome, capsys) -> None:  # type: ignore[no-untyped-def]
    from lawnb.run.batch import plan_jobs

    dataset = make_dataset(case.get("edit") or [], root / "ds")
    file = root / "project" / "params" / "2020.yaml"
    file.parent.mkdir(parents=True)
    if case["params"] is not None:
        text = case["params"].replace("{dataset}", str(dataset))
        file.write_bytes(text.encode(case.get("encoding", "utf-8")))
    outputs = root / "outputs"
    (outputs / "2020").mkdir(parents=True)
    (outputs / "2020" / "齐村镇.html").write_text("<p>上一次成功的报告</p>", encoding="utf-8")
    before = snapshot(root)
    units = [case["cli"][1]] if case.get("cli") else None
    notebooks = REPO / "notebooks"

    exc = outcome.api(
        lambda: plan_jobs(
            [file],
            open_dataset=load_dataset,
            units=units,
            notebooks_dir=notebooks,
            outputs=outputs,
        )
    )
    assert exc is not None, f"{case['id']}: plan_jobs accepted the params"
    assert isinstance(exc, _error_class(case["error"])), (type(exc), str(exc))
    assert re.search(case["match"], str(exc), re.S), str(exc)
    where = ["--unit"] if units else [str(file)]
    _names_where(str(exc), case, where)
    assert_unchanged(root, before, "plan_jobs")

    argv = ["run", "--params", str(file), "--outputs", str(outputs), "--no-progress"]
    argv += ["--notebooks-dir", str(notebooks), *(case.get("cli") or [])]
    code, err = outcome.cli(argv, capsys)
    assert code == 2, (code, err)
    assert re.search(case["match"], err, re.S), err
    assert_unchanged(root, before, "lawnb run")


def feed_notebook(case: dict[str, Any], root: Path, outcome: Outcome, capsys) -> None:  # type: ignore[no-untyped-def]
    from lawnb.present.parameters import validate_notebook_parameters

    root.mkdir(exist_ok=True)
    before = snapshot(root)
    exc = outcome.api(lambda: validate_notebook_parameters(**case["args"]))
    assert exc is not None, f"{case['id']}: the notebook's parameters were accepted"
    assert isinstance(exc, _error_class(case["error"])), (type(exc), str(exc))
    assert re.search(case["match"], str(exc), re.S), str(exc)
    _names_where(str(exc), case, ["unit", "year", "dataset"])
    assert_unchanged(root, before, "validate_notebook_parameters")


FEEDS = {
    "report": feed_report,
    "import": feed_report,
    "dataset": feed_dataset,
    "params": feed_params,
    "notebook": feed_notebook,
}


def _param(case: dict[str, Any]):  # type: ignore[no-untyped-def]
    marks = [pytest.mark.xfail(strict=True, reason=case["xfail"])] if case.get("xfail") else []
    return pytest.param(case, id=case["id"], marks=marks)


def run_case(case: dict[str, Any], root: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    """Feed one case in ``root`` (a folder not yet made), recording what it did in ``TALLY``."""
    outcome = Outcome()
    record: dict[str, Any] = {"partial": False, "xfail": bool(case.get("xfail")), "failed": ""}
    TALLY[case["id"]] = record
    try:
        FEEDS[case["feed"]](case, root, outcome, capsys)
    except BaseException as exc:
        record["partial"] = isinstance(exc, PartialWrite)
        record["failed"] = (f"{type(exc).__name__}: {exc}".splitlines() or ["?"])[0][:200]
        raise
    finally:
        record["traceback"] = bool(outcome.tracebacks)


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_bad_input_fails_clearly_and_writes_nothing(case, tmp_path, capsys):
    run_case(case, tmp_path / "case", capsys)


# ---------------------------------------------------------------------------------------------
# The catalogue itself
# ---------------------------------------------------------------------------------------------


def test_catalogue_is_complete_and_small():
    ids = [c["id"] for c in CASES + ACCEPTED]
    assert len(ids) == len(set(ids)), "duplicate ids"
    assert len(CASES) >= 40
    for case in CASES:
        assert case["feed"] in FEEDS, case["id"]
        assert case["error"] and case["match"], case["id"]
        re.compile(case["match"])
        _error_class(case["error"])
        spec = case.get("input") or {}
        if "generate" in spec:
            assert spec["generate"] in GENERATORS, case["id"]
    used = {
        s[key]
        for c in CASES + ACCEPTED
        for s in [c.get("input") or {}]
        for key in ("file", "from")
        if key in s
    }
    committed = {p.name for p in CATALOGUE_DIR.iterdir()} - {"catalogue.yaml"}
    assert committed == used, "every committed input is used, every used file is committed"
    sizes = [(CATALOGUE_DIR / name).stat().st_size for name in committed]
    assert max(sizes) < 2048 and sum(sizes) < 8192, "committed inputs must stay tiny"
    feeds = {c["feed"] for c in CASES}
    assert feeds == set(FEEDS)


@pytest.mark.parametrize("case", ACCEPTED, ids=[c["id"] for c in ACCEPTED])
def test_accepted_inputs_are_read_and_flagged(case, tmp_path):
    from lawnb.analyse.audit import audit
    from lawnb.read.reader import read_report

    if case.get("feed") == "dataset":
        folder = make_dataset(case["edit"], tmp_path / "ds")
        assert load_dataset(folder).units() == load_dataset("sample").units()
        return
    path = make_input(case["input"], tmp_path)
    report = read_report(path)
    assert report.unit and report.year, report
    findings = audit(report)
    if case["audit"]:
        assert case["audit"] in set(findings["code"])


def test_the_valid_base_report_is_read():
    """The control: the file the option cases start from is a good report."""
    from lawnb.read.reader import read_report

    report = read_report(CATALOGUE_DIR / "valid-report.txt")
    assert (report.district, report.unit, report.year) == ("示例区", "东湖镇", 2021)
    assert len(report.sections) == 6


def test_zz_summary(capsys, tmp_path_factory):
    """Printed in CI: how many bad inputs were tried, and that none gave a traceback or file.

    Every case of the catalogue is counted, whatever ran before: those the session has not fed
    yet are fed here. It fails when a case (not a known gap marked xfail) failed.
    """
    for case in CASES:
        if case["id"] not in TALLY:
            with contextlib.suppress(Exception):  # recorded in TALLY
                run_case(case, tmp_path_factory.mktemp("summary") / "case", capsys)
    assert set(TALLY) == {c["id"] for c in CASES}
    tried = {k: v for k, v in TALLY.items() if not v["xfail"]}
    gaps = {k: v for k, v in TALLY.items() if v["xfail"]}
    tracebacks = [k for k, v in tried.items() if v["traceback"]]
    partial = [k for k, v in tried.items() if v["partial"]]
    failed = {k: v["failed"] for k, v in tried.items() if v["failed"]}
    with capsys.disabled():
        print(
            f"\nbad inputs: {len(tried)} tried, {len(tracebacks)} tracebacks, "
            f"{len(partial)} partial files"
            + (f" ({len(gaps)} known gaps marked xfail: {', '.join(sorted(gaps))})" if gaps else "")
        )
    assert not tracebacks, tracebacks
    assert not partial, partial
    assert not failed, failed
