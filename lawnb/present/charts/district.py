"""The charts of a district-year, all units side by side: what each unit reported in each
dimension, and whether each report has the five mandated parts.

Each function takes a units × codes table from ``lawnb.analyse.district_tables.district`` and returns a
:class:`matplotlib.figure.Figure` in the house style: a grid of cells where a missing cell
(no report) is drawn apart from a 0; empty input gives the 无数据 figure.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lawnb.formatting import format_number, is_missing
from lawnb.present.charts.style import (
    ALERT,
    DARK,
    FONT_PT,
    HEIGHT_CM,
    INK,
    NOTE,
    PALE,
    SMALL_PT,
    chart,
    empty,
    finish,
    is_empty,
    new_figure,
    panels,
    rows_height,
    wrap,
)
from lawnb.present.parts import OPTIONAL_PARTS
from lawnb.schema import DIMENSIONS, PARTS

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

# A cell without data (no report): a dash on white, hatched.
_MISSING_CELL = ("—", "white", "////", NOTE)


@chart
def coverage_heatmap(table: pd.DataFrame, *, source: str | None = None) -> Figure:
    """Units × dimensions: how many facts each unit reported in each dimension.

    ``table`` is indexed by unit with dimension-code columns. Cells are annotated; a 0
    (nothing in that dimension) is drawn apart from a missing cell (—, hatched: no report).
    """
    from matplotlib import colormaps
    from matplotlib.colors import Normalize

    title = "各单位各维度量化指标数"
    if is_empty(table) or len(table.columns) == 0:
        return empty(title, source)
    data = _ordered(table, DIMENSIONS)
    numbers = [float(v) for v in data.to_numpy().ravel() if not is_missing(v)]
    norm = Normalize(vmin=0, vmax=max([1.0, *numbers]))
    cmap = colormaps["Blues"]
    cells = []
    for _, line in data.iterrows():
        out = []
        for v in line:
            if is_missing(v):
                out.append(_MISSING_CELL)
            else:
                shade = 0.06 + 0.8 * float(norm(float(v)))
                out.append(
                    (format_number(float(v)), cmap(shade), "", "white" if shade > 0.5 else INK)
                )
        cells.append(out)
    rows = [wrap(u, 8) for u in data.index]
    fig = new_figure(max(HEIGHT_CM * 0.6, rows_height(rows, minimum=0.72) + 3.0))
    (ax,) = panels(fig, [1.0])
    _grid(ax, rows, [wrap(DIMENSIONS.get(c, c), 2) for c in data.columns], cells)
    notes = [
        "格中数字为量化指标数，颜色越深越多；0表示报告中该维度没有量化指标，"
        "“—”（斜线格）表示无数据（未收到报告或未解析）。"
    ]
    return finish(fig, title, source, notes)


@chart
def parts_present(table: pd.DataFrame, *, source: str | None = None) -> Figure:
    """Units × the five mandated parts: 有 when the report has the part, 缺 when not.

    ``table`` is indexed by unit with part-code columns (:data:`lawnb.schema.PARTS`) holding
    booleans; a missing value is shown as — on a hatched cell.
    """
    title = "各单位报告法定组成部分齐全情况"
    if is_empty(table) or len(table.columns) == 0:
        return empty(title, source)
    data = _ordered(table, PARTS)
    cells = [
        [
            _MISSING_CELL
            if is_missing(v)
            else ("有", DARK, "", "white")
            if bool(v)
            else ("未单列", PALE, "", NOTE)
            if part in OPTIONAL_PARTS
            else ("缺", PALE, "", ALERT)
            for part, v in line.items()
        ]
        for _, line in data.iterrows()
    ]
    rows = [wrap(u, 8) for u in data.index]
    fig = new_figure(max(HEIGHT_CM * 0.6, rows_height(rows, minimum=0.72) + 3.6))
    (ax,) = panels(fig, [1.0])
    _grid(ax, rows, [wrap(PARTS.get(c, c), 6) for c in data.columns], cells)
    notes = [
        "“有”表示报告含该部分，“缺”表示未找到该部分，“—”（斜线格）表示无数据；"
        "“其他事项”可不单列，未单列不算缺项。"
    ]
    return finish(fig, title, source, notes)


def _grid(
    ax: Axes,
    rows: list[str],
    cols: list[str],
    cells: list[list[tuple[str, Any, str, str]]],
) -> None:
    """Draw a table of coloured cells: cells[r][c] = (text, face, hatch, text colour)."""
    from matplotlib.patches import Rectangle

    for r, line in enumerate(cells):
        for c, (text, face, hatch, ink) in enumerate(line):
            # white gaps between cells; a hatch is a grey overlay inside the gaps (the hatch
            # takes the edge colour on every matplotlib from 3.8 on)
            ax.add_patch(Rectangle((c, r), 1, 1, facecolor=face, edgecolor="white", linewidth=1.5))
            if hatch:
                ax.add_patch(
                    Rectangle(
                        (c + 0.02, r + 0.03),
                        0.96,
                        0.94,
                        facecolor="none",
                        edgecolor="#B0B0B0",
                        linewidth=0,
                        hatch=hatch,
                    )
                )
            ax.text(c + 0.5, r + 0.5, text, ha="center", va="center", fontsize=FONT_PT, color=ink)
    ax.set_xlim(0, len(cols))
    ax.set_ylim(len(rows), 0)
    ax.set_xticks([c + 0.5 for c in range(len(cols))], labels=cols)
    ax.set_yticks([r + 0.5 for r in range(len(rows))], labels=rows)
    ax.xaxis.tick_top()
    ax.tick_params(length=0, labelsize=SMALL_PT)
    for spine in ax.spines.values():
        spine.set_visible(False)


def _ordered(table: pd.DataFrame, known: dict[str, str]) -> pd.DataFrame:
    """Known codes first, in the schema's order, then any other columns."""
    order = [c for c in known if c in table.columns]
    return table[order + [c for c in table.columns if c not in known]]
