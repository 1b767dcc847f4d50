"""Report files into plain text: .txt (any common Chinese encoding), .docx, .html/.htm, .pdf.

Each loader returns the document's text with one paragraph per line; nothing here parses
the report's structure.
"""

from __future__ import annotations

import itertools
import re
import zipfile
from pathlib import Path

from lawnb.errors import ReportReadError

SUPPORTED_SUFFIXES: tuple[str, ...] = (".txt", ".text", ".docx", ".html", ".htm", ".pdf")
MAX_BYTES = 50 * 1024 * 1024

_CJK_CHAR = re.compile(r"[\u4e00-\u9fff]")


def load_text(path: Path) -> str:
    """Read a report file of any supported format and return its text."""
    path = Path(path)
    if not path.exists():
        raise ReportReadError(f"{path}: 文件不存在 (file not found)。请检查路径是否正确。")
    if path.is_dir():
        raise ReportReadError(f"{path}: 这是一个文件夹，不是报告文件 (a folder, not a file)。")
    size = path.stat().st_size
    if size == 0:
        raise ReportReadError(f"{path}: 文件为空 (empty file)。请确认报告已正确保存。")
    if size > MAX_BYTES:
        raise ReportReadError(
            f"{path}: 文件过大（{size / 1024 / 1024:.0f} MB，上限 {MAX_BYTES // 1024 // 1024} MB），"
            "不像是一份年度报告 (file too large)。"
        )
    suffix = path.suffix.lower()
    data = path.read_bytes()
    if suffix in (".txt", ".text", ""):
        text = decode_bytes(data, path)
    elif suffix == ".docx":
        text = _docx_text(data, path)
    elif suffix in (".html", ".htm"):
        from lawnb.html_source import html_article_text

        text = html_article_text(decode_bytes(data, path, html=True), path)
    elif suffix == ".pdf":
        text = _pdf_text(path)
    elif suffix == ".doc":
        raise ReportReadError(
            f"{path}: 不支持旧版 Word (.doc) 格式。请在 Word/WPS 中另存为 .docx 后再导入。"
        )
    else:
        raise ReportReadError(
            f"{path}: 不支持的文件类型 {suffix!r}。支持：{', '.join(SUPPORTED_SUFFIXES)}。"
        )
    if not _CJK_CHAR.search(text):
        raise ReportReadError(
            f"{path}: 文件中没有中文文字 (no Chinese text found)，不是一份报告，或编码无法识别。"
        )
    return text


def decode_bytes(data: bytes, path: Path | str = "<text>", *, html: bool = False) -> str:
    """Decode report bytes: UTF-8 (with or without BOM), UTF-16 with BOM, GB18030/GBK.

    Never guesses silently: bytes that are valid in none of these are refused with the reason.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ReportReadError(f"{path}: UTF-16 编码损坏（第 {exc.start} 字节）。") from exc
    if b"\x00" in data[:4096]:
        raise ReportReadError(
            f"{path}: 这是二进制文件，不是文本 (binary file)。"
            "若是 Word 文档请使用 .docx 扩展名，若是 PDF 请使用 .pdf。"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as utf8_error:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError as exc:
            raise ReportReadError(
                f"{path}: 无法识别文件编码：既不是 UTF-8 也不是 GB18030/GBK"
                f"（UTF-8 在第 {utf8_error.start} 字节出错）。请用记事本或 WPS 另存为 UTF-8 后再导入。"
            ) from exc
        if not html and not _looks_chinese(text):
            raise ReportReadError(
                f"{path}: 文件编码无法可靠识别（按 GB18030 解码后不像中文）。请另存为 UTF-8 后再导入。"
            ) from utf8_error
        return text


def _looks_chinese(text: str) -> bool:
    """True when the common Chinese characters dominate the non-ASCII text (a sane decoding)."""
    non_ascii = [c for c in text if ord(c) > 127 and not c.isspace()]
    if not non_ascii:
        return True
    common = sum(
        1 for c in non_ascii if "\u4e00" <= c <= "\u9fa5" or c in "，。、；：“”（）《》！？"
    )
    return common / len(non_ascii) > 0.8


def _docx_text(data: bytes, path: Path) -> str:
    import io

    try:
        import docx
        from docx.opc.exceptions import PackageNotFoundError
    except ImportError as exc:  # pragma: no cover - a dependency of lawnb
        raise ReportReadError("读取 .docx 需要 python-docx：pip install python-docx") from exc
    if not data.startswith(b"PK"):
        raise ReportReadError(
            f"{path}: 扩展名是 .docx，但内容不是 Word 文档（可能是改了扩展名的图片或其他文件）。"
        )
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ReportReadError(
            f"{path}: Word 文档已损坏，无法打开（{exc}）。请重新导出后再导入。"
        ) from exc
    lines = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append("，".join(cell.text.strip() for cell in row.cells))
    return "\n".join(lines)


def _pdf_text(path: Path) -> str:
    from pdfminer.high_level import extract_text
    from pdfminer.pdfparser import PDFSyntaxError

    try:
        text = extract_text(str(path))
    except (PDFSyntaxError, ValueError, TypeError, KeyError) as exc:
        raise ReportReadError(f"{path}: PDF 文件已损坏，无法读取（{exc}）。") from exc
    except Exception as exc:  # pdfminer raises many private error types on broken files
        raise ReportReadError(f"{path}: PDF 文件无法读取（{type(exc).__name__}: {exc}）。") from exc
    if not _CJK_CHAR.search(text or ""):
        raise ReportReadError(
            f"{path}: PDF 没有文字层（可能是扫描件），无法提取文字。"
            "请使用带文字的 PDF 或 Word 原件，或先做 OCR 识别。"
        )
    return _join_pdf_lines(text)


def _join_pdf_lines(text: str) -> str:
    """Undo the PDF's visual line wrapping.

    A line continues on the next when it is as wide as the page's full lines and does not end
    a sentence; a shorter line (a title, a heading, a paragraph's last line) ends its paragraph.
    """
    lines = [line.strip() for line in text.replace("\x0c", "\n").split("\n")]
    lines = [line for line in lines if line]
    if not lines:
        return ""
    widths = sorted(len(line) for line in lines)
    full = widths[int(0.9 * (len(widths) - 1))]
    out = [lines[0]]
    for previous, line in itertools.pairwise(lines):
        wrapped = len(previous) >= 0.8 * full and not re.search(r"[。：:！？；]$", previous)
        if wrapped and not _starts_heading(line):
            out[-1] += line
        else:
            out.append(line)
    return "\n".join(out)


_HEADING_START = re.compile(
    r"^(第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d+[.、．](?!\d))"
)


def _starts_heading(line: str) -> bool:
    return bool(_HEADING_START.match(line))
