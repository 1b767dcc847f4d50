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
import json
import os
import random
import re
import shutil
import stat
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
from hostile_files import PEAK_MB, SECONDS, docx_bytes, measured, refused, rezip

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
    data = docx_bytes("" if spec.get("empty") else _source(spec))
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


def gen_fifo(dst: Path, spec: dict[str, Any], work: Path) -> None:
    os.mkfifo(dst)  # reading it would block for ever


def gen_device(dst: Path, spec: dict[str, Any], work: Path) -> None:
    dst.symlink_to(spec.get("device", "/dev/zero"))  # endless bytes under a report's name


def gen_symlink_loop(dst: Path, spec: dict[str, Any], work: Path) -> None:
    dst.symlink_to(dst.name)


def gen_sparse(dst: Path, spec: dict[str, Any], work: Path) -> None:
    with dst.open("wb") as handle:  # takes no disk space
        handle.truncate(spec["mb"] << 20)


def gen_nul_after(dst: Path, spec: dict[str, Any], work: Path) -> None:
    """A good report, padded past ``after`` bytes with plain sentences, then a NUL byte."""
    text = _source(spec)
    filler = "本年度继续推进依法行政，完善制度建设。\n"
    while len(text.encode("utf-8")) <= spec["after"]:
        text += filler
    dst.write_bytes(text.encode("utf-8") + b"\x00" + filler.encode("utf-8"))


def gen_docx_bomb(dst: Path, spec: dict[str, Any], work: Path) -> None:
    """A .docx whose document part inflates to ``mb`` MB of blanks (a few hundred KB packed)."""
    inflate = ("word/document.xml", "<w:body>", spec["mb"] << 20)
    dst.write_bytes(rezip(docx_bytes(_source(spec)), {}, inflate))


def gen_docx_flood(dst: Path, spec: dict[str, Any], work: Path) -> None:
    """A small .docx of ``paragraphs`` short paragraphs."""
    base = docx_bytes("示例区东湖镇2021年度法治政府建设情况报告")
    xml = zipfile.ZipFile(io.BytesIO(base)).read("word/document.xml").decode("utf-8")
    paragraph = "<w:p><w:r><w:t>推进依法行政。</w:t></w:r></w:p>"
    xml = xml.replace("<w:body>", "<w:body>" + paragraph * spec["paragraphs"], 1)
    dst.write_bytes(rezip(base, {"word/document.xml": xml.encode("utf-8")}))


def gen_lines(dst: Path, spec: dict[str, Any], work: Path) -> None:
    """A report title followed by ``lines`` short lines."""
    lines = ["示例区东湖镇2021年度法治政府建设情况报告"] + ["推进依法行政。"] * spec["lines"]
    dst.write_text("\n".join(lines) + "\n", encoding="utf-8")


def gen_html_flood(dst: Path, spec: dict[str, Any], work: Path) -> None:
    """A saved page of ``tags`` paragraphs after a report title."""
    title = "<h1>示例区东湖镇2021年度法治政府建设情况报告</h1>"
    body = "<p>推进依法行政。</p>" * spec["tags"]
    dst.write_text(f"<html><body><div id='zoom'>{title}{body}</div></body></html>", "utf-8")


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
        if "file" in edit:  # any file of the folder: its text, bytes (hex), a FIFO or a folder
            target = folder / edit["file"]
            if "append_hex" in edit:
                with target.open("ab") as handle:
                    handle.write(bytes.fromhex(edit["append_hex"]))
                continue
            target.unlink(missing_ok=True)
            if "text" in edit:
                target.write_text(edit["text"], encoding="utf-8")
            elif "hex" in edit:
                target.write_bytes(bytes.fromhex(edit["hex"]))
            elif edit.get("fifo"):
                os.mkfifo(target)
            elif edit.get("folder"):
                target.mkdir()
            elif "sparse_mb" in edit:
                with target.open("wb") as handle:  # takes no disk space
                    handle.truncate(edit["sparse_mb"] << 20)
            continue
        if edit.get("revalidate"):  # the manifest claims the edited tables were validated
            from lawnb.store.staging import validation_record

            manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
            manifest["validated"] = validation_record(folder)
            (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
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
        if path.name.startswith(".") and path.suffix == ".lock" and not path.lstat().st_size:
            continue
        mode = path.lstat().st_mode
        if stat.S_ISLNK(mode):
            found[key] = f"link:{os.readlink(path)}"
        elif stat.S_ISDIR(mode):
            found[key] = "dir"
        elif not stat.S_ISREG(mode):
            found[key] = f"special:{stat.S_IFMT(mode)}"  # a FIFO: reading it would block
        elif path.stat().st_size > 1024 * 1024:
            found[key] = f"size:{path.stat().st_size}"  # the sparse files
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


def params_bytes(spec: dict[str, int]) -> bytes:
    """A params file too big or odd to write in the catalogue: a 5,000-digit year, a unit name
    of 200,000 characters, 5,000 nested lists, random bytes."""
    if "long_int" in spec:
        return f"year: {'9' * spec['long_int']}\n".encode()
    if "huge_unit" in spec:
        return f"year: 2020\nunits: [{'齐' * spec['huge_unit']}]\n".encode()
    if "deep" in spec:
        return f"year: 2020\nunits: {'[' * spec['deep']}{']' * spec['deep']}\n".encode()
    return random.Random(20241201).randbytes(spec["random_bytes"])


def feed_params(case: dict[str, Any], root: Path, outcome: Outcome, capsys) -> None:  # type: ignore[no-untyped-def]
    from lawnb.run.batch import plan_jobs

    dataset = make_dataset(case.get("edit") or [], root / "ds")
    file = root / "project" / "params" / "2020.yaml"
    file.parent.mkdir(parents=True)
    if case["params"] is not None:
        text = case["params"].replace("{dataset}", str(dataset))
        file.write_bytes(text.encode(case.get("encoding", "utf-8")))
    elif "params_generate" in case:
        file.write_bytes(params_bytes(case["params_generate"]))
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
# Time and memory
# ---------------------------------------------------------------------------------------------

RESOURCE_CASES = [c for c in CASES if c.get("resource")]
_CALLS = {
    "report": "from lawnb.read.reader import read_report\n",
    "params": "from lawnb.run.batch import plan_jobs\nfrom lawnb.store.loading import load_dataset\n",
    "dataset": "from lawnb.store.loading import load_dataset\n",
}


def _resource_call(case: dict[str, Any], root: Path) -> tuple[str, str]:
    """The case's input made in ``root``; the imports and the call that feed it."""
    if case["feed"] == "report":
        path = make_input(case["input"], root / "in")
        return _CALLS["report"], f"read_report(Path({str(path)!r}))"
    if case["feed"] == "dataset":
        folder = make_dataset(case["edit"], root / "ds")
        return _CALLS["dataset"], f"load_dataset(Path({str(folder)!r}))"
    file = root / "params" / "2020.yaml"
    file.parent.mkdir(parents=True)
    if case["params"] is not None:
        file.write_text(case["params"], encoding="utf-8")
    else:
        file.write_bytes(params_bytes(case["params_generate"]))
    call = (
        f"plan_jobs([Path({str(file)!r})], open_dataset=load_dataset, units=None, "
        f"notebooks_dir=Path({str(REPO / 'notebooks')!r}), outputs=Path({str(root / 'out')!r}))"
    )
    return _CALLS["params"], call


@pytest.mark.slow  # a fresh interpreter per case
@pytest.mark.parametrize("case", RESOURCE_CASES, ids=[c["id"] for c in RESOURCE_CASES])
def test_resource_cases_fail_within_10_s_under_a_500_mb_limit(case, tmp_path):
    """The big, endless and inflating inputs are refused in a process that may not use more
    than 500 MB of data (a bigger allocation fails), within 10 s."""
    imports, call = _resource_call(case, tmp_path)
    setup = "from pathlib import Path\nimport lawnb.errors\n" + imports
    result = measured(refused(call, "lawnb.errors.LawnbError"), setup=setup, memory_mb=PEAK_MB)
    assert result["error"] not in (None, "MemoryError"), result
    assert issubclass(_error_class(result["error"]), _error_class(case["error"])), result
    assert re.search(case["match"], result["message"], re.S), result["message"]
    assert result["seconds"] < SECONDS, result
    assert result["peak_mb"] < PEAK_MB, result


def test_the_resource_cases_cover_every_kind_of_excess():
    """Endless files, sizes, zip bombs, element floods and YAML alias bombs are all measured."""
    kinds = {c["input"]["generate"] for c in RESOURCE_CASES if "input" in c}
    assert {"device", "sparse", "docx_bomb", "docx_flood", "html_flood", "lines"} <= kinds
    assert any(c["feed"] == "params" for c in RESOURCE_CASES)


# ---------------------------------------------------------------------------------------------
# The catalogue itself
# ---------------------------------------------------------------------------------------------


def test_catalogue_is_complete_and_small():
    ids = [c["id"] for c in CASES + ACCEPTED]
    assert len(ids) == len(set(ids)), "duplicate ids"
    assert len(CASES) >= 130  # issue 18
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
