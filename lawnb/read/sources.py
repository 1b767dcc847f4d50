"""Report files into plain text: .txt (any common Chinese encoding), .docx, .html/.htm, .pdf.

Each loader returns the document's text with one paragraph per line; nothing here parses
the report's structure.
"""

from __future__ import annotations

import errno
import itertools
import os
import re
import stat
from pathlib import Path

from lawnb.errors import ReportReadError

SUPPORTED_SUFFIXES: tuple[str, ...] = (".txt", ".text", ".docx", ".html", ".htm", ".pdf")
MAX_BYTES = 50 * 1024 * 1024  # of a report file
MAX_INFLATED = 200 * 1024 * 1024  # of a .docx's parts unpacked (ZipInfo.file_size summed)
MAX_LINES = 50_000  # paragraphs (and table rows) of a report: real ones have a few thousand
_SURROGATE = re.compile("[\udc80-\udcff]")  # bytes of a file name that were not UTF-8

_CJK_CHAR = re.compile(r"[\u4e00-\u9fff]")


def load_text(path: Path) -> str:
    """Read a report file of any supported format and return its text.

    Anything that is not a readable report (missing, a folder, a device or pipe, empty, too
    large, binary, an image or archive under a report's extension, mis-encoded, corrupt,
    encrypted, a zip bomb, too many paragraphs, a scan without text, no Chinese text, a name
    that is not UTF-8) raises ``ReportReadError`` naming the file and saying how to fix it.
    """
    path = Path(path)
    label = shown(path)
    data = read_capped(path)
    suffix = path.suffix.lower()
    if suffix == ".doc":
        raise ReportReadError(
            f"{label}: 不支持旧版 Word (.doc) 格式。请在 Word/WPS 中另存为 .docx 后再导入。"
        )
    if suffix not in (*SUPPORTED_SUFFIXES, ""):
        raise ReportReadError(
            f"{label}: 不支持的文件类型 {suffix[:20]!r}。支持：{', '.join(SUPPORTED_SUFFIXES)}。"
        )
    if not data.strip():
        raise ReportReadError(f"{label}: 文件为空 (empty file)。请确认报告已正确保存。")
    if suffix in (".txt", ".text", ""):
        _refuse_other_format(data, path, "文本")
        text = decode_bytes(data, label)
    elif suffix == ".docx":
        text = _docx_text(data, label)
    elif suffix in (".html", ".htm"):
        from lawnb.read.html import html_article_text

        _refuse_other_format(data, path, "网页")
        text = html_article_text(decode_bytes(data, label, html=True), label)
    else:
        text = _pdf_text(data, label)
    text = text.replace("\x00", "")  # a NUL a converter left must not reach the dataset
    if not _CJK_CHAR.search(text):
        raise ReportReadError(
            f"{label}: 文件中没有中文文字 (no Chinese text found)，不是一份报告，或编码无法识别。"
        )
    lines = text.count("\n") + 1
    if lines > MAX_LINES:
        raise ReportReadError(
            f"{label}: 文件有 {lines} 行（段落），超过上限 {MAX_LINES} 行，不像是一份年度报告。"
            "请确认选对了文件，或把报告拆分后再导入。"
        )
    return text


def shown(path: Path | str | bytes) -> str:
    """A path as text that is always safe to print: bytes that are not UTF-8 as \\xNN, capped.

    A file name from a Windows archive (GBK bytes) decodes with surrogate escapes, which no
    terminal or file can encode; here they become visible escapes instead.
    """
    text = os.fsdecode(path)
    try:
        text = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text if len(text) <= 240 else text[:120] + "…" + text[-100:]


def why_missing(path: Path) -> str:
    """Why a named file cannot be found: it is not there, or it is a link to nothing or to itself."""
    if Path(path).is_symlink():
        return "是一个符号链接，但它指向的位置不存在或链接成环 (broken symlink)。请给出真正的文件"
    return "文件不存在 (file not found)。请检查路径是否正确"


def read_capped(path: Path, limit: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes, or ``ReportReadError``.

    The file is opened without blocking (a FIFO does not wait for a writer), checked on the open
    handle to be a regular file (not a device, pipe or socket) no larger than ``limit``, and read
    with a cap, so nothing larger than the limit is ever read.
    """
    path = Path(path)
    label = shown(path)
    if _SURROGATE.search(str(path)):
        raise ReportReadError(
            f"{label}: 文件名（或所在文件夹名）不是 UTF-8 编码（常见于解压 Windows 压缩包得到的"
            " GBK 文件名）。请把它改名为正常的中文名后再导入。"
        )
    try:
        info = os.stat(path)
    except OSError as exc:
        if exc.errno in (errno.ENOENT, errno.ELOOP):
            raise ReportReadError(f"{label}: {why_missing(path)}。") from exc
        raise ReportReadError(
            f"{label}: 无法读取文件（{exc.strerror or exc}）。请检查文件权限。"
        ) from exc
    _check_regular(info, label, limit)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        with os.fdopen(fd, "rb") as handle:
            _check_regular(os.fstat(handle.fileno()), label, limit)  # it may have been swapped
            data = handle.read(limit + 1)
    except OSError as exc:
        raise ReportReadError(
            f"{label}: 无法读取文件（{exc.strerror or exc}）。请检查文件权限，或文件是否被其他程序占用。"
        ) from exc
    if len(data) > limit:
        _too_large(len(data), label, limit)
    return data


def _check_regular(info: os.stat_result, label: str, limit: int) -> None:
    if stat.S_ISDIR(info.st_mode):
        raise ReportReadError(f"{label}: 这是一个文件夹，不是报告文件 (a folder, not a file)。")
    if not stat.S_ISREG(info.st_mode):
        raise ReportReadError(f"{label}: 不是普通文件（设备、管道等），不能作为报告导入。")
    if info.st_size > limit:
        _too_large(info.st_size, label, limit)


def _too_large(size: int, label: str, limit: int) -> None:
    raise ReportReadError(
        f"{label}: 文件过大（{size / 1024 / 1024:.0f} MB，上限 {limit // 1024 // 1024} MB），"
        "不像是一份年度报告 (file too large)。"
    )


# Signatures of the files that most often arrive under a report's extension by mistake:
# (magic bytes, what the file is, what to do).
_TEXT_VERSION = "请导入报告的文字版本（.txt .docx .html 或带文字的 .pdf）"
_SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG 图片", _TEXT_VERSION),
    (b"\xff\xd8\xff", "JPEG 图片", _TEXT_VERSION),
    (b"GIF87a", "GIF 图片", _TEXT_VERSION),
    (b"GIF89a", "GIF 图片", _TEXT_VERSION),
    (b"II*\x00", "TIFF 图片", _TEXT_VERSION),
    (b"MM\x00*", "TIFF 图片", _TEXT_VERSION),
    (b"PK\x03\x04", "ZIP 压缩包（或 Word .docx 文档）", "若它就是报告，请把扩展名改为 .docx"),
    (b"%PDF-", "PDF 文件", "若它就是报告，请把扩展名改为 .pdf"),
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "旧版 Office 文件（.doc/.wps/.xls）",
        "请在 Word/WPS 中另存为 .docx 后再导入",
    ),
    (b"{\\rtf", "RTF 文档", "请在 Word/WPS 中另存为 .docx 后再导入"),
    (b"Rar!", "RAR 压缩包", "请先解压，再导入其中的报告文件"),
    (b"7z\xbc\xaf\x27\x1c", "7z 压缩包", "请先解压，再导入其中的报告文件"),
    (b"\x1f\x8b", "gzip 压缩包", "请先解压，再导入其中的报告文件"),
)


def sniff_format(data: bytes) -> tuple[str, str] | None:
    """(what the bytes are, what to do) for well-known formats that are not a report's text."""
    for magic, name, hint in _SIGNATURES:
        if data.startswith(magic):
            return name, hint
    return None


def _refuse_other_format(data: bytes, path: Path, expected: str) -> None:
    found = sniff_format(data)
    if found is not None:
        name, hint = found
        raise ReportReadError(
            f"{shown(path)}: 扩展名是 {path.suffix[:20] or '（无）'}（{expected}），但内容是{name}。{hint}。"
        )


def decode_bytes(data: bytes, path: Path | str = "<text>", *, html: bool = False) -> str:
    """Decode report bytes: UTF-8 (with or without BOM), UTF-16 with BOM, GB18030/GBK.

    Never guesses silently: UTF-16 without a byte-order mark, a file that mixes UTF-8 and GBK,
    and bytes valid in none of these encodings (Latin-1, binary) are refused with the reason.
    UTF-16 *with* a BOM (what Windows Notepad calls "Unicode") is accepted: the BOM makes it
    unambiguous.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ReportReadError(f"{path}: UTF-16 编码损坏（第 {exc.start} 字节）。") from exc
    nul = data.find(b"\x00")  # anywhere: a NUL in the text would make the dataset binary
    if nul >= 0:
        utf16 = _utf16_without_bom(data) if nul < 4096 else None
        if utf16:
            raise ReportReadError(
                f"{path}: 文件像是不带字节顺序标记 (BOM) 的 UTF-16（{utf16}）编码，无法可靠识别。"
                "请用记事本或 WPS 打开后另存为 UTF-8 再导入。"
            )
        line = data[:nul].count(b"\n") + 1
        raise ReportReadError(
            f"{path}: 第 {line} 行（第 {nul + 1} 字节）有 NUL 空字符：这是二进制文件，"
            "不是文本 (binary file)，或文本已损坏。若是 Word 文档请使用 .docx 扩展名，"
            "若是 PDF 请使用 .pdf；若是文本，请在编辑器中删去该处的乱码后另存为 UTF-8。"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as utf8_error:
        mixed = _mixed_encoding_line(data)
        if mixed:
            raise ReportReadError(
                f"{path}: 第 {mixed} 行起的编码与前文不同：文件混用了 UTF-8 和 GBK 两种编码"
                "（常见于把不同来源的文字粘贴到一起）。请在编辑器中统一另存为 UTF-8 后再导入。"
            ) from utf8_error
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError as exc:
            line = data[: utf8_error.start].count(b"\n") + 1
            raise ReportReadError(
                f"{path}: 无法识别文件编码：既不是 UTF-8 也不是 GB18030/GBK"
                f"（第 {line} 行，UTF-8 在第 {utf8_error.start} 字节出错）。"
                "请用记事本或 WPS 另存为 UTF-8 后再导入。"
            ) from exc
        if not html and not _looks_chinese(text):
            raise ReportReadError(
                f"{path}: 文件编码无法可靠识别（按 GB18030 解码后不像中文，可能是 Latin-1、Big5 等"
                "其他编码）。请另存为 UTF-8 后再导入。"
            ) from utf8_error
        return text


def _utf16_without_bom(data: bytes) -> str | None:
    """ "LE" or "BE" when the bytes read as UTF-16 in that order give Chinese text, else None."""
    head = data[: min(len(data), 4096) // 2 * 2]
    for order in ("LE", "BE"):
        try:
            text = head.decode(f"utf-16-{order.lower()}")
        except UnicodeDecodeError:
            continue
        plain = sum(
            1
            for c in text
            if c.isspace()
            or " " <= c <= "~"
            or "\u4e00" <= c <= "\u9fff"
            or "\u3000" <= c <= "\u303f"
            or "\uff00" <= c <= "\uffef"
        )
        if _CJK_CHAR.search(text) and plain >= 0.9 * len(text):
            return order
    return None


def _mixed_encoding_line(data: bytes) -> int | None:
    """The first line that is not UTF-8 in a file whose other lines are Chinese UTF-8, or None.

    A line of GBK Chinese is almost never valid UTF-8, so a file with both kinds of lines was
    pasted together from two sources.
    """
    utf8_lines = 0
    first_bad: int | None = None
    for number, line in enumerate(data.split(b"\n"), start=1):
        try:
            decoded = line.decode("utf-8")
        except UnicodeDecodeError:
            first_bad = first_bad or number
            continue
        if len(_CJK_CHAR.findall(decoded)) >= 2:
            utf8_lines += 1
    return first_bad if utf8_lines and first_bad else None


def _looks_chinese(text: str) -> bool:
    """True when the common Chinese characters dominate the non-ASCII text (a sane decoding).

    Text in another single-byte encoding (Latin-1) read as GB18030 gives Chinese characters one
    at a time between Latin letters, where real Chinese text has them in runs.
    """
    non_ascii = [c for c in text if ord(c) > 127 and not c.isspace()]
    if not non_ascii:
        return True
    common = sum(
        1 for c in non_ascii if "\u4e00" <= c <= "\u9fa5" or c in "，。、；：“”（）《》！？"
    )
    if common / len(non_ascii) <= 0.8:
        return False
    cjk = _CJK_CHAR.findall(text)
    isolated = len(re.findall(r"(?<=[A-Za-z])[\u4e00-\u9fff](?=[A-Za-z])", text))
    return not cjk or isolated / len(cjk) < 0.3


def _docx_text(data: bytes, path: Path | str) -> str:
    import io

    try:
        import docx
    except ImportError as exc:  # pragma: no cover - a dependency of lawnb
        raise ReportReadError("读取 .docx 需要 python-docx：pip install python-docx") from exc
    if not data.startswith(b"PK"):
        found = sniff_format(data)
        what = f"内容是{found[0]}" if found else "内容不是 Word 文档"
        raise ReportReadError(
            f"{path}: 扩展名是 .docx，但{what}（可能是改了扩展名的图片或其他文件）。"
            "请导入报告的 Word 原件（.docx）。"
        )
    try:
        _check_docx_parts(data, path)
        document = docx.Document(io.BytesIO(data))
        body = document.element.body
        count = sum(1 for _ in body.iter(_W + "p", _W + "tr"))
        if count > MAX_LINES:
            raise ReportReadError(
                f"{path}: Word 文档有 {count} 个段落和表格行，超过上限 {MAX_LINES}，"
                "不像是一份年度报告。请确认选对了文件，或把报告拆分后再导入。"
            )
        lines = [paragraph.text for paragraph in document.paragraphs]
        for table in document.tables:
            for row in table.rows:
                lines.append("，".join(cell.text.strip() for cell in row.cells))
    except ReportReadError:
        raise
    except Exception as exc:  # zipfile, zlib, lxml and python-docx all fail in their own ways
        raise ReportReadError(
            f"{path}: Word 文档已损坏，无法打开（{type(exc).__name__}: {str(exc)[:120]}）。"
            "请在 Word/WPS 中打开后重新另存为 .docx 再导入。"
        ) from exc
    text = "\n".join(lines)
    if not text.strip():
        raise ReportReadError(
            f"{path}: Word 文档中没有文字（可能只有图片或扫描件）。请导入带文字的原件，或先做 OCR 识别。"
        )
    return text


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _check_docx_parts(data: bytes, path: Path | str) -> None:
    """Refuse a .docx whose parts unpack to more than ``MAX_INFLATED`` bytes (a zip bomb).

    The sizes are those the zip's directory declares; a part that inflates to more than it
    declares fails zipfile's own check when read.
    """
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        inflated = sum(info.file_size for info in archive.infolist())
    if inflated > MAX_INFLATED:
        raise ReportReadError(
            f"{path}: Word 文档解压后有 {inflated // 1024 // 1024} MB，超过上限 "
            f"{MAX_INFLATED // 1024 // 1024} MB（可能是“压缩炸弹”或损坏的文件）。"
            "请在 Word/WPS 中打开后重新另存为 .docx 再导入。"
        )


def _pdf_text(data: bytes, path: Path | str) -> str:
    import io

    from pdfminer.high_level import extract_text
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    if b"%PDF-" not in data[:1024]:
        found = sniff_format(data)
        what = f"内容是{found[0]}" if found else "内容不是 PDF"
        raise ReportReadError(
            f"{path}: 扩展名是 .pdf，但{what}。请导入报告的 PDF 原件，或改为正确的扩展名。"
        )
    if b"%%EOF" not in data.rstrip(b"\x00\r\n\t ")[-1024:]:
        raise ReportReadError(
            f"{path}: PDF 文件不完整（缺少文件结尾标记，可能下载或复制时被截断）。请重新获取完整的文件。"
        )
    try:
        text = extract_text(io.BytesIO(data))
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise ReportReadError(
            f"{path}: PDF 有密码保护或已加密，无法读取文字。请导入未加密的版本。"
        ) from exc
    except Exception as exc:  # pdfminer raises many private error types on broken files
        raise ReportReadError(
            f"{path}: PDF 文件已损坏，无法读取（{type(exc).__name__}: {exc}）。"
        ) from exc
    if not (text or "").strip():
        raise ReportReadError(
            f"{path}: PDF 没有文字层（可能是扫描件），无法提取文字。"
            "请使用带文字的 PDF 或 Word 原件，或先做 OCR 识别。"
        )
    if not _CJK_CHAR.search(text):
        raise ReportReadError(
            f"{path}: PDF 中没有中文文字（只有 {len(text.strip())} 个其他字符），不是一份报告。"
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
