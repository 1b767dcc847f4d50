"""Showing a page's pieces in a notebook: never ``None``, never an empty table or chart frame.

``show(...)`` displays each piece that has something to show: Markdown text, a figure, or a
table rendered with Chinese text left-aligned and numbers right-aligned and unwrapped; it
passes over ``None`` and empty tables. A section that has nothing says so in a sentence of
its own (the views give that sentence). ``text`` makes a data value safe to place in Markdown;
``excerpt`` marks a figure in its evidence sentence.
"""

from __future__ import annotations

import html
import re
from typing import Any

import pandas as pd

from lawnb.formatting import is_missing

# The column holding an evidence excerpt whose figure is marked (views.figures_table).
EVIDENCE_COLUMN = "原文"
# Columns whose cells are quantities (right-aligned, never wrapped).
NUMBER_COLUMNS = frozenset(
    {"数值", "本年", "上年", "变化率", "承诺", "实际", "目标值", "报告单位数", "项数"}
)
_NUMERIC_TEXT = re.compile(
    r"^[约≥≤+\-－—不少于超过逾近]*[\d.,]+[%\u4e00-\u9fff（）()余多以上下内左右]*$"
)
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]#|!~])")


def text(value: object) -> str:
    """A data value made safe to place in Markdown or HTML (never interpreted as markup)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(str(value), quote=False))


def show(*items: Any) -> None:
    """Display each item that has content: str as Markdown, DataFrame as a table, a Figure."""
    from IPython.display import HTML, Markdown, display

    for item in items:
        if item is None:
            continue
        if isinstance(item, str):
            if item.strip():
                display(Markdown(item))
        elif isinstance(item, pd.DataFrame):
            if not item.empty:
                display(HTML(table_html(item, highlight=EVIDENCE_COLUMN)))
        elif not getattr(item, "lawnb_empty", False):  # a chart frame with no data says nothing
            display(item)


def table_html(table: pd.DataFrame, *, highlight: str | None = None) -> str:
    """``table`` as an HTML table (class ``lawnb-table``), cells escaped.

    Cells of quantity columns (``NUMBER_COLUMNS``, or columns whose every value reads as a
    number) get class ``num``; the rest ``text``. The column ``highlight`` (an evidence
    excerpt) may hold ``<mark>`` around its figure, which is kept; everything else is escaped.
    """
    numeric = {str(c) for c in table.columns if _is_number_column(table[c], str(c))}
    index_name = "" if table.index.name is None else str(table.index.name)
    index_kind = "num" if pd.api.types.is_integer_dtype(table.index) else "text"
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in [index_name, *table.columns])
    rows = []
    for index, record in zip(table.index, table.to_dict("records"), strict=True):
        cells = [f'<td class="{index_kind}">{html.escape(str(index))}</td>']
        for column, value in record.items():
            cell = "" if is_missing(value) else str(value)
            cell = _escape_keeping_mark(cell) if column == highlight else html.escape(cell)
            kind = "num" if str(column) in numeric else "text"
            cells.append(f'<td class="{kind}">{cell}</td>')
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return (
        f'<table class="lawnb-table"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def excerpt(sentence: object, value: object, measure: object, *, width: int = 28) -> str:
    """The evidence around a figure: ``width`` characters each side, the figure in ``<mark>``.

    The figure is found in the sentence by its number and measure (1,280份, 800余名, 三十次);
    when it cannot be found the sentence's start is shown, unmarked.
    """
    if is_missing(sentence):
        return ""
    text = str(sentence)
    found = _find_figure(text, value, measure)
    if found is None:
        return html.escape(text[: 2 * width]) + ("…" if len(text) > 2 * width else "")
    start, end = found
    left, right = max(0, start - width), min(len(text), end + width)
    return (
        ("…" if left > 0 else "")
        + html.escape(text[left:start])
        + "<mark>"
        + html.escape(text[start:end])
        + "</mark>"
        + html.escape(text[end:right])
        + ("…" if right < len(text) else "")
    )


_FIGURE = re.compile(
    r"(?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|[一二两三四五六七八九十百千万零〇]+)"
    r"\s*(?P<mult>万|亿|千)?(?P<q>余|多)?\s*"
)


def _find_figure(text: str, value: object, measure: object) -> tuple[int, int] | None:
    from lawnb.read.numerals import cn_to_number

    try:
        wanted = abs(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    unit = "" if is_missing(measure) else str(measure)
    for match in _FIGURE.finditer(text):
        if unit and not text.startswith(unit, match.end()):
            continue
        raw = match.group("number")
        number = float(raw.replace(",", "")) if raw[0].isdigit() else cn_to_number(raw)
        if number is None:
            continue
        factor = {"万": 1e4, "亿": 1e8, "千": 1e3}.get(match.group("mult") or "", 1)
        if abs(number * factor - wanted) < 1e-6 or abs(number - wanted) < 1e-6:
            return match.start(), match.end() + len(unit)
    return None


def _is_number_column(values: pd.Series, name: str) -> bool:
    if name in NUMBER_COLUMNS:
        return True
    present = [str(v) for v in values if not is_missing(v) and str(v) not in ("—", "-")]
    numbers = sum(1 for v in present if _NUMERIC_TEXT.match(v.lstrip("（(")))
    return bool(present) and numbers >= 0.6 * len(present)


def _escape_keeping_mark(cell: str) -> str:
    parts = re.split(r"(</?mark>)", cell)
    return "".join(
        p if p in ("<mark>", "</mark>") else html.escape(html.unescape(p)) for p in parts
    )
