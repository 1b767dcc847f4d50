"""Issue 18: what a report file or a table can do to the reader.

Special files (a FIFO, a device, a sparse 2 GB file) are refused from ``os.stat`` before
anything is read; NUL bytes anywhere in a text report are refused so the dataset stays
readable; zip bombs and element floods in .docx and .xlsx are refused before they are parsed
(each in a subprocess whose time and peak memory are measured); a file name that is not UTF-8
fails alone; an .xlsx that is not a zip is a clear ``DatasetError``. Every input is generated
here, in the temp folder.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from hostile_files import deadline, docx_bytes, measured, refused, rezip, within_limits, xlsx_bytes

from lawnb.errors import DatasetError, ReportReadError
from lawnb.exchange.corrections_workbook import read_export
from lawnb.exchange.workbook import is_export_workbook
from lawnb.read.sources import load_text
from lawnb.store.importing.reports import import_reports
from lawnb.store.loading import load_dataset
from lawnb.store.sheets import TableReadError, read_excel_table

VALID = Path(__file__).resolve().parents[1] / "bad_inputs" / "valid-report.txt"


# --- 1. special files and sizes checked before reading ---------------------------------------


def test_a_fifo_named_txt_fails_at_once_and_the_other_files_import(tmp_path):
    fifo = tmp_path / "示例区西湖镇-2021.txt"
    os.mkfifo(fifo)
    good = tmp_path / "示例区东湖镇-2021.txt"
    good.write_bytes(VALID.read_bytes())
    with deadline():
        result = import_reports([fifo, good], tmp_path / "ds")
    status = {o.file.name: o.status for o in result.outcomes}
    assert status == {fifo.name: "failed", good.name: "added"}
    failed = next(o for o in result.outcomes if o.status == "failed")
    assert "不是普通文件" in failed.message and fifo.name in failed.message
    with deadline(), pytest.raises(ReportReadError, match="不是普通文件"):
        load_text(fifo)


@pytest.mark.slow
def test_a_device_under_a_report_name_is_refused_without_reading_it(tmp_path):
    device = tmp_path / "示例区东湖镇-2021.txt"
    device.symlink_to("/dev/zero")
    with deadline(), pytest.raises(ReportReadError, match="不是普通文件"):
        load_text(device)
    code = (  # in a subprocess: reading /dev/zero whole would exhaust this one's memory
        "from pathlib import Path\n"
        "from lawnb.store.importing.reports import import_reports\n"
        f"(o,) = import_reports([Path({str(device)!r})], Path({str(tmp_path / 'ds')!r})).outcomes\n"
        "result = {'status': o.status, 'message': o.message}\n"
    )
    result = measured(code)
    assert result["status"] == "failed" and "不是普通文件" in result["message"]
    within_limits(result)


@pytest.mark.slow
def test_a_sparse_2gb_report_is_refused_from_its_size_in_time_and_memory(tmp_path):
    big = tmp_path / "示例区东湖镇-2021.txt"
    with big.open("wb") as handle:
        handle.truncate(2 << 30)
    code = (
        "from pathlib import Path\n"
        "from lawnb.store.importing.reports import import_reports\n"
        f"(o,) = import_reports([Path({str(big)!r})], Path({str(tmp_path / 'ds')!r})).outcomes\n"
        "result = {'status': o.status, 'message': o.message}\n"
    )
    result = measured(code)
    assert result["status"] == "failed"
    assert "文件过大（2048 MB，上限 50 MB）" in result["message"]
    within_limits(result)


def test_a_fifo_as_a_dataset_table_is_refused_without_blocking(tmp_path):
    good = tmp_path / "示例区东湖镇-2021.txt"
    good.write_bytes(VALID.read_bytes())
    import_reports([good], tmp_path / "ds")
    os.mkfifo(tmp_path / "ds" / "manual.csv")
    with deadline(), pytest.raises(DatasetError, match=r"manual\.csv: 不是普通文件"):
        load_dataset(tmp_path / "ds")


# --- 2. NUL bytes after the first 4 KB --------------------------------------------------------


def _long_report(nul_at: int | None) -> bytes:
    """The valid report with 10 KB of sentences after its title, a NUL at byte ``nul_at``."""
    lines = VALID.read_text(encoding="utf-8").splitlines(keepends=True)
    filler = "全年持续推进依法行政，严格落实各项制度。\n" * 200
    data = (lines[0] + lines[1] + filler + "".join(lines[2:])).encode("utf-8")
    if nul_at is not None:
        at = data.index("。".encode(), nul_at) + 3  # between two characters
        data = data[:at] + b"\x00" + data[at:]
    return data


def test_nul_bytes_after_4kb_are_refused_and_the_dataset_stays_readable(tmp_path):
    bad = tmp_path / "示例区西湖镇-2021.txt"
    bad.write_bytes(_long_report(nul_at=6000))
    good = tmp_path / "示例区东湖镇-2021.txt"
    good.write_bytes(_long_report(nul_at=None))
    with pytest.raises(ReportReadError, match=r"第 \d+ 行（第 \d+ 字节）有 NUL 空字符.*二进制文件"):
        load_text(bad)
    result = import_reports([bad, good], tmp_path / "ds")
    assert [o.status for o in result.outcomes] == ["failed", "added"]
    assert "NUL" in result.outcomes[0].message
    dataset = load_dataset(tmp_path / "ds")  # the import after it reads the dataset back too
    assert set(dataset.reports["report_id"]) == {result.outcomes[1].report_id}
    for name in ("reports", "sections", "facts"):
        assert b"\x00" not in (tmp_path / "ds" / f"{name}.csv").read_bytes()
    again = import_reports([good], tmp_path / "ds", force=True)
    assert again.outcomes[0].status == "updated"


# --- 3. zip bombs and element floods -----------------------------------------------------------


@pytest.mark.slow
def test_a_docx_bomb_is_refused_before_it_is_inflated(tmp_path):
    bomb = tmp_path / "示例区东湖镇-2021.docx"
    report = docx_bytes(VALID.read_text(encoding="utf-8"))
    data = rezip(report, {}, ("word/document.xml", "<w:body>", 1 << 30))
    bomb.write_bytes(data)
    assert bomb.stat().st_size < 2 << 20  # about 1 MB that inflates to 1 GB
    code = "from pathlib import Path\nfrom lawnb.read.sources import load_text\n" + refused(
        f"load_text(Path({str(bomb)!r}))", "importlib.import_module('lawnb.errors').LawnbError"
    )
    result = measured(code)
    assert result["error"] == "ReportReadError", result
    assert re.search(r"解压后有 1024 MB，超过上限 200 MB", result["message"])
    assert bomb.name in result["message"]
    within_limits(result)


@pytest.mark.slow
def test_a_docx_of_300000_paragraphs_is_refused_quickly(tmp_path):
    flood = tmp_path / "示例区东湖镇-2021.docx"
    base = docx_bytes("示例区东湖镇2021年度法治政府建设情况报告")
    xml = zipfile.ZipFile(io.BytesIO(base)).read("word/document.xml").decode("utf-8")
    paragraph = "<w:p><w:r><w:t>推进依法行政。</w:t></w:r></w:p>"
    xml = xml.replace("<w:body>", "<w:body>" + paragraph * 300_000, 1)
    flood.write_bytes(rezip(base, {"word/document.xml": xml.encode("utf-8")}))
    assert flood.stat().st_size < 400_000
    code = "from pathlib import Path\nfrom lawnb.read.sources import load_text\n" + refused(
        f"load_text(Path({str(flood)!r}))", "importlib.import_module('lawnb.errors').LawnbError"
    )
    result = measured(code)
    assert result["error"] == "ReportReadError", result
    assert "有 300001 个段落和表格行，超过上限 50000" in result["message"]
    within_limits(result)


def test_a_page_of_300000_tags_is_refused_before_it_is_parsed(tmp_path):
    flood = tmp_path / "示例区东湖镇-2021.html"
    title = "<h1>示例区东湖镇2021年度法治政府建设情况报告</h1>"
    body = "<p>推进依法行政。</p>" * 300_000
    flood.write_text(f"<html><body><div id='zoom'>{title}{body}</div></body></html>", "utf-8")
    with deadline(5), pytest.raises(ReportReadError, match=r"个标签，超过上限 200000"):
        load_text(flood)


@pytest.mark.slow
def test_an_xlsx_bomb_is_refused_before_it_is_read(tmp_path):
    bomb = tmp_path / "manual.xlsx"
    inflate = ("xl/worksheets/sheet1.xml", "<sheetData>", 1 << 30)
    bomb.write_bytes(rezip(xlsx_bytes([["report_id", "value"]]), {}, inflate))
    code = "from pathlib import Path\nfrom lawnb.store.sheets import read_excel_table\n" + refused(
        f"read_excel_table(Path({str(bomb)!r}))",
        "importlib.import_module('lawnb.errors').LawnbError",
    )
    result = measured(code)
    assert result["error"] == "TableReadError", result
    assert "工作簿解压后有 1024 MB，超过上限 500 MB" in result["message"]
    within_limits(result)
    assert is_export_workbook(bomb) is False


@pytest.mark.slow
def test_an_xlsx_as_wide_and_long_as_excel_allows_is_refused_quickly(tmp_path):
    """A 5 KB sheet whose one cell is XFD1048576: read as rows, 17 billion empty cells."""
    flood = tmp_path / "table.xlsx"
    base = xlsx_bytes([["report_id", "value"]])
    xml = zipfile.ZipFile(io.BytesIO(base)).read("xl/worksheets/sheet1.xml").decode("utf-8")
    xml = re.sub(r'<dimension ref="[^"]*"/>', '<dimension ref="A1:XFD1048576"/>', xml)
    last = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    xml = xml.replace("</sheetData>", last + "</sheetData>")
    flood.write_bytes(rezip(base, {"xl/worksheets/sheet1.xml": xml.encode("utf-8")}))
    code = "from pathlib import Path\nfrom lawnb.store.sheets import read_excel_table\n" + refused(
        f"read_excel_table(Path({str(flood)!r}))",
        "importlib.import_module('lawnb.errors').LawnbError",
    )
    result = measured(code)
    assert result["error"] == "TableReadError", result
    assert "超过 200000 行或 5000000 个单元格" in result["message"]
    within_limits(result)


# --- 4. a file name that is not UTF-8 ------------------------------------------------------------


def _gbk_named(folder: Path, data: bytes) -> bytes:
    """A file whose name is GBK bytes (as unzipping a Windows archive gives); its bytes name."""
    name = os.fsencode(folder) + b"/" + "示例区西湖镇-2021.txt".encode("gbk")
    fd = os.open(name, os.O_WRONLY | os.O_CREAT, 0o644)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    return name


def test_a_gbk_file_name_fails_alone_and_the_others_import(tmp_path):
    name = _gbk_named(tmp_path, VALID.read_bytes())
    good = tmp_path / "示例区东湖镇-2021.txt"
    good.write_bytes(VALID.read_bytes())
    gbk = Path(os.fsdecode(name))
    with pytest.raises(ReportReadError, match="不是 UTF-8 编码") as caught:
        load_text(gbk)
    str(caught.value).encode("utf-8")  # printable: the undecodable bytes shown as \xNN
    assert "\\xce\\xf7" in str(caught.value)  # 西 in GBK
    result = import_reports([gbk, good], tmp_path / "ds")
    assert [o.status for o in result.outcomes] == ["failed", "added"]
    failed = result.outcomes[0]
    (failed.message + str(failed.file)).encode("utf-8")
    assert "改名" in failed.message


@pytest.mark.slow
def test_the_cli_imports_the_good_files_beside_a_gbk_name_without_a_traceback(tmp_path):
    name = _gbk_named(tmp_path, VALID.read_bytes())
    good = tmp_path / "示例区东湖镇-2021.txt"
    good.write_bytes(VALID.read_bytes())
    entry = "import sys; from lawnb.cli import main; sys.exit(main())"
    argv = [sys.executable, "-c", entry, "import"]
    argv += [os.fsdecode(name), str(good), "--dataset", str(tmp_path / "ds")]
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    done = subprocess.run(argv, capture_output=True, timeout=120, check=False, env=env)
    said = (done.stdout + done.stderr).decode("utf-8")
    assert "Traceback" not in said and "UnicodeEncodeError" not in said, said
    assert "不是 UTF-8 编码" in said
    assert len(load_dataset(tmp_path / "ds").reports) == 1


# --- 5. an .xlsx that is not a zip -------------------------------------------------------------


@pytest.mark.parametrize(
    "content", [b"report_id,value\nx,1\n", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"]
)
def test_an_xlsx_that_is_not_a_zip_is_a_clear_dataset_error(tmp_path, content):
    table = tmp_path / "table.xlsx"
    table.write_bytes(content)
    with pytest.raises(TableReadError, match=r"table\.xlsx: 不是有效的 \.xlsx 文件"):
        read_excel_table(table)
    assert is_export_workbook(table) is False
    with pytest.raises(DatasetError, match=r"table\.xlsx: 不是有效的 \.xlsx 文件"):
        read_export(table)


def test_a_manual_xlsx_that_is_not_a_zip_is_a_clear_error_on_load(tmp_path):
    good = tmp_path / "示例区东湖镇-2021.txt"
    good.write_bytes(VALID.read_bytes())
    import_reports([good], tmp_path / "ds")
    (tmp_path / "ds" / "manual.xlsx").write_text("report_id,value\n", encoding="utf-8")
    with pytest.raises(DatasetError, match=r"manual\.xlsx: 不是有效的 \.xlsx 文件"):
        load_dataset(tmp_path / "ds")
