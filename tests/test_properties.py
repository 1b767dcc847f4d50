"""Property-based tests: arbitrary input never breaks the reader, the extractor or the loader.

Whatever text, bytes, file or table they are given, they return a result or raise a
``LawnbError``; never another exception. Every generated case is checked whichever way it
goes: a result holds together (``_check_report``, a loaded dataset's ids), a refusal is the
right ``LawnbError`` subclass with a message that names the input (``_check_refusal``).

``MAX_EXAMPLES`` sums the generated cases of this module (at least 5,000, as issue 9 asks);
a test checks the sum. Those counts run under the ``ci`` hypothesis profile (plain
``pytest``); the quick tier (``pytest -m "not slow"``) loads the ``quick`` profile, which caps
each test at a few dozen cases (tests/conftest.py).
"""

from __future__ import annotations

import contextlib
import io
import re
import shutil
import tempfile
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from lawnb.bundled import bundled_path
from lawnb.errors import DatasetError, LawnbError, ReportReadError
from lawnb.extract.facts import extract_facts
from lawnb.read.normalize import normalize_text
from lawnb.read.reader import read_report
from lawnb.read.sources import decode_bytes
from lawnb.store.loading import load_dataset

EXAMPLES = {
    "text": 1200,
    "report": 800,
    "normalize": 1400,
    "encoded": 1000,
    "file_bytes": 600,
    "docx": 300,
    "docx_part": 100,
    "pdf": 200,
    "dataset": 150,
}
MAX_EXAMPLES = sum(EXAMPLES.values())
_SETTINGS = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow]}


def examples(name: str) -> int:
    """The number of cases of one test: the full count, capped under the ``quick`` profile."""
    if settings.get_current_profile_name() == "quick":
        return min(EXAMPLES[name], settings.default.max_examples)
    return EXAMPLES[name]


# Text built from the pieces reports are made of, so that generated cases reach the parser's
# branches (headings, numbers, measures, qualifiers) and not only random code points.
_PIECES = st.sampled_from(
    [
        "一、",
        "二、",
        "（一）",
        "(二)",
        "1.",
        "2、",
        "（3）",
        "第一部分",
        "一是",
        "二是",
        "首先，",
        "其次，",
        "检查企业",
        "344",
        "1,280",
        "12.5",
        "三十余",
        "两",
        "一",
        "十二",
        "95%",
        "百分之九十",
        "家（次）",
        "次",
        "人",
        "名",
        "份",
        "万元",
        "余",
        "多",
        "约",
        "不少于",
        "以上",
        "以内",
        "左右",
        "，",
        "。",
        "；",
        "：",
        "、",
        "\n",
        " ",
        "“",
        "”",
        "《",
        "》",
        "〔2021〕",
        "号",
        "年",
        "月",
        "日",
        "中",
        "其中",
        "其余为",
        "计划",
        "将",
        "全镇",
        "目前",
        "每季度",
        "下步安排",
        "存在的不足",
        "第一责任人",
        "主要举措和成效",
        "报告",
        "2020年",
        "法治政府建设情况报告",
    ]
)
_TEXTS = st.one_of(
    st.lists(_PIECES, max_size=60).map("".join),
    st.text(max_size=300),
    st.lists(st.one_of(_PIECES, st.text(max_size=5)), max_size=40).map("".join),
)
_NUMERAL = re.compile(r"[\d一二两三四五六七八九十百]")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def _check_refusal(exc: BaseException, kind: type[LawnbError], origin: str) -> None:
    """A refusal: the expected ``LawnbError`` subclass, naming the input, said in Chinese."""
    assert isinstance(exc, kind), (type(exc), str(exc))
    message = str(exc)
    assert origin in message, message
    assert _CJK.search(message), message
    event(f"refused: {type(exc).__name__}")


def _check_report(report) -> None:  # type: ignore[no-untyped-def]
    """A result: offsets inside the text, every extracted figure starting at a numeral."""
    assert report.text.strip(), "a report read without any text"
    for section in report.sections:
        assert 0 <= section.start <= section.body_start <= section.end <= len(report.text)
        for item in section.items:
            assert section.start <= item.start < item.end <= section.end
    facts = extract_facts(report)
    extracted = facts[facts["origin"] == "extracted"]
    for start, end in zip(extracted["start"], extracted["end"], strict=True):
        assert 0 <= start < end <= len(report.text)
        assert _NUMERAL.match(report.text[start]), report.text[start:end]
    assert set(facts["kind"]) <= {"achievement", "target", "status", "composition"}
    assert set(facts["qualifier"]) <= {"exact", "approx", "at_least", "at_most"}
    event("read")


def test_the_module_generates_at_least_5000_cases():
    assert MAX_EXAMPLES >= 5000


@settings(max_examples=examples("text"), **_SETTINGS)
@given(_TEXTS)
def test_any_text_reads_or_fails_with_lawnb_error(text):
    _read_text(text + "\n")


def _read_text(text: str) -> None:
    """Read text given directly: a report that holds together, or a refusal naming ``<text>``."""
    try:
        report = read_report(text)
    except LawnbError as exc:
        _check_refusal(exc, ReportReadError, "<text>")
    else:
        _check_report(report)


# Reports shaped like the real ones: a title, numbered headings, sentences with figures.
_FIGURE = st.builds(
    lambda q, n, m: f"{q}{n}{m}",
    st.sampled_from(["", "约", "不少于", "超过", "近"]),
    st.one_of(st.integers(0, 10**7).map(str), st.sampled_from(["三十余", "两", "1,280", "12.5"])),
    st.sampled_from(["次", "件", "家（次）", "人次", "%", "万元", "场", "个", "份", ""]),
)
_SENTENCE = st.builds(
    lambda a, f, b: f"{a}{f}{b}。",
    st.sampled_from(["全年开展执法检查", "办理行政复议案件", "计划开展普法活动", "其中", "受众"]),
    _FIGURE,
    st.one_of(st.just(""), st.text(max_size=6)),
)
_HEADING = st.builds(
    lambda n, t: f"{n}{t}",
    st.sampled_from(["一、", "二、", "三、", "（一）", "（二）", "1.", "2、", "第一部分"]),
    st.sampled_from(
        ["主要举措和成效", "存在的不足和原因", "下一年度工作安排", "第一责任人", "其他"]
    ),
)
_REPORTS = st.builds(
    lambda title, body: "\n".join([title, *body]),
    st.sampled_from(["示例区东湖镇2021年度法治政府建设情况报告", "法治政府建设情况报告", ""]),
    st.lists(st.one_of(_HEADING, _SENTENCE, _SENTENCE), max_size=30),
)


@settings(max_examples=examples("report"), **_SETTINGS)
@given(_REPORTS)
def test_any_report_shaped_text_reads_or_fails_with_lawnb_error(text):
    _read_text(text + "\n")


@settings(max_examples=examples("normalize"), **_SETTINGS)
@given(_TEXTS)
def test_normalisation_is_total_and_idempotent(text):
    once = normalize_text(text)
    assert normalize_text(once) == once
    assert "\r" not in once and "\u3000" not in once


# --- bytes and files --------------------------------------------------------------------------

_ENCODINGS = [
    "utf-8",
    "utf-8-sig",
    "gb18030",
    "utf-16",
    "utf-16-le",
    "utf-16-be",
    "big5",
    "latin-1",
]


@settings(max_examples=examples("encoded"), **_SETTINGS)
@given(_TEXTS, st.sampled_from(_ENCODINGS))
def test_text_in_any_encoding_decodes_or_is_refused(text, encoding):
    data = text.encode(encoding, errors="replace")
    try:
        decoded = decode_bytes(data, "报告.txt")
    except LawnbError as exc:
        _check_refusal(exc, ReportReadError, "报告.txt")
        # What was written in UTF-8 (with or without BOM) is never refused.
        assert encoding not in ("utf-8", "utf-8-sig") or "\x00" in text, str(exc)
    else:
        # Read in one of the encodings decode_bytes knows, whole: never a lossy guess.
        assert decoded in _decodings(data), (encoding, data[:40])
        if encoding in ("utf-8", "utf-8-sig", "utf-16") and "\x00" not in text:
            assert decoded == text.removeprefix("\ufeff")  # what was written is what is read
        event(f"decoded ({encoding})")


def _decodings(data: bytes) -> list[str]:
    """Every text the bytes are in UTF-16 (with a BOM), UTF-8 (BOM or not) and GB18030."""
    found = []
    for codec in ("utf-16", "utf-8-sig", "gb18030"):
        if codec == "utf-16" and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            continue
        with contextlib.suppress(UnicodeDecodeError):
            found.append(data.decode(codec))
    return found


@pytest.fixture(scope="module")
def samples(tmp_path_factory) -> dict[str, bytes]:
    """A good report as .docx and .pdf bytes, to be damaged."""
    import docx

    text = (Path(__file__).parent / "bad_inputs" / "valid-report.txt").read_text(encoding="utf-8")
    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)

    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    pdf = tmp_path_factory.mktemp("pdf") / "report.pdf"
    page = canvas.Canvas(str(pdf), invariant=True)
    page.setFont("STSong-Light", 12)
    for n, line in enumerate(text.splitlines()):
        page.drawString(72, 760 - 18 * n, line)
    page.save()
    return {"docx": buffer.getvalue(), "pdf": pdf.read_bytes()}


def _read_file(data: bytes, suffix: str, *, intact: bool = False) -> None:
    """Read the bytes as a report file: a report that holds together, or a ``ReportReadError``
    naming the file. ``intact``: the bytes are the good sample itself, which must read."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"示例区东湖镇-2021{suffix}"
        path.write_bytes(data)
        try:
            report = read_report(path)
        except LawnbError as exc:
            assert not intact, f"the undamaged sample was refused: {exc}"
            _check_refusal(exc, ReportReadError, str(path))
            assert path.name in str(exc), str(exc)
        else:
            _check_report(report)
            if intact:
                assert (report.unit, report.year) == ("东湖镇", 2021)


@settings(max_examples=examples("file_bytes"), **_SETTINGS)
@given(st.binary(max_size=3000), st.sampled_from([".txt", ".html", ".htm", ".docx", ".pdf", ""]))
def test_any_bytes_in_a_file_read_or_fail_with_report_read_error(data, suffix):
    _read_file(data, suffix)


_DAMAGE = st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)), max_size=8)


def _damaged(data: bytes, damage: list[tuple[float, int]], cut: float) -> bytes:
    out = bytearray(data[: max(1, int(len(data) * cut))])
    for where, value in damage:
        out[int(where * len(out))] = value
    return bytes(out)


@settings(max_examples=examples("docx"), **_SETTINGS)
@given(_DAMAGE, st.sampled_from([1.0, 1.0, 1.0, 0.99, 0.7, 0.3]))
def test_a_damaged_word_document_reads_or_fails_with_report_read_error(samples, damage, cut):
    damaged = _damaged(samples["docx"], damage, cut)
    _read_file(damaged, ".docx", intact=damaged == samples["docx"])


@settings(max_examples=examples("docx_part"), **_SETTINGS)
@given(st.data())
def test_a_word_document_with_a_damaged_part_reads_or_fails_with_report_read_error(samples, data):
    source = zipfile.ZipFile(io.BytesIO(samples["docx"]))
    names = source.namelist()
    victim = data.draw(st.sampled_from(names))
    buffer = io.BytesIO()
    intact = True
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in names:
            body = source.read(name)
            if name == victim:
                damaged = _damaged(body, data.draw(_DAMAGE), data.draw(st.floats(0.01, 1)))
                intact, body = damaged == body, damaged
            archive.writestr(name, body)
    _read_file(buffer.getvalue(), ".docx", intact=intact)


@settings(max_examples=examples("pdf"), **_SETTINGS)
@given(_DAMAGE, st.sampled_from([1.0, 1.0, 1.0, 0.9, 0.5]))
def test_a_damaged_pdf_reads_or_fails_with_report_read_error(samples, damage, cut):
    damaged = _damaged(samples["pdf"], damage, cut)
    _read_file(damaged, ".pdf", intact=damaged == samples["pdf"])


# --- dataset tables -----------------------------------------------------------------------------

_CELLS = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["", "12", "-5", "1e400", "nan", "3.5", "二十", "exact", "target", "次", "％"]),
    st.integers(-(10**20), 10**20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
)


@pytest.fixture(scope="module")
def small_dataset(tmp_path_factory) -> dict[str, pd.DataFrame]:
    """The first rows of the bundled sample's tables, as text."""
    tables = {}
    for name in ("reports", "sections", "facts"):
        file = bundled_path("sample") / f"{name}.csv"
        frame = pd.read_csv(file, encoding="utf-8-sig", dtype=str, keep_default_na=False)
        tables[name] = frame.head(3)
    return tables


@settings(max_examples=examples("dataset"), **_SETTINGS)
@given(st.data())
def test_any_edit_of_the_tables_loads_or_fails_with_dataset_error(small_dataset, data):
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "ds"
        shutil.copytree(bundled_path("sample"), root)
        for name, frame in small_dataset.items():
            frame = frame.copy()
            for _ in range(data.draw(st.integers(0, 4), label=f"{name} edits")):
                row = data.draw(st.integers(0, len(frame) - 1))
                column = data.draw(st.sampled_from(list(frame.columns)))
                frame.loc[row, column] = data.draw(_CELLS)
            if data.draw(st.integers(0, 9)) == 0:  # now and then a column lost or renamed
                column = data.draw(st.sampled_from(list(frame.columns)))
                frame = frame.rename(columns={column: data.draw(st.text(max_size=5))})
            file = root / f"{name}.csv"
            frame.to_csv(file, index=False, encoding="utf-8-sig")
            if data.draw(st.integers(0, 19)) == 0:  # now and then the file is garbage
                file.write_bytes(data.draw(st.binary(max_size=200)))
        try:
            dataset = load_dataset(root)
        except LawnbError as exc:  # the folder and the table at fault are named
            _check_refusal(exc, DatasetError, str(root))
            assert re.search(r"(reports|sections|facts)\.csv", str(exc)), str(exc)
        else:
            ids = set(dataset.reports["report_id"].dropna())  # a loaded dataset holds together
            assert set(dataset.facts["report_id"].dropna()) <= ids
            assert set(dataset.sections["report_id"].dropna()) <= ids
            event("loaded")
