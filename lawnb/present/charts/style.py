"""The charts' house style and the helpers every figure shares: tables in, Figure parts out.

House style: 16×9 cm at A4 scale (taller when there are many rows), fonts of 9 pt and up, a
palette whose colours differ in lightness (so a greyscale print keeps them apart) with a
hatch on the second series, the measure named on every value axis, and a footer with notes
and the source line. :func:`chart` wraps each chart function (fonts, rc context, inline
display in Jupyter); :func:`finish` adds title and footer; :func:`empty` is the 无数据
figure; :func:`wrap` breaks Chinese labels. matplotlib is imported inside the functions.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Iterable
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

from lawnb.errors import LawnbError
from lawnb.formatting import is_missing
from lawnb.present.charts import fonts

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

CM = 1 / 2.54
PIXEL_RATIO = 1.5  # PNG pixels per CSS pixel in notebooks and HTML pages
WIDTH_CM = 16.0
HEIGHT_CM = 9.0
FONT_PT = 9.5
SMALL_PT = 9.0
TITLE_PT = 11.5
WRAP = 10  # CJK characters per line of a category label
FOOTER_CHARS = 48  # CJK characters per line of the footer (notes, source)

# Colours that stay apart in greyscale (CIE L* roughly 25 / 55 / 82 / 95).
INK = "#1A1A1A"
DARK = "#1F3F66"
MID = "#5B8DB8"
LIGHT = "#BCD3E8"
PALE = "#F0F0F0"
NOTE = "#555555"
ALERT = "#8C1D18"  # 未完成: dark red, also said in words
HATCH = "///"
DERIVED_HATCH = "xx"

_RC = {
    "font.size": FONT_PT,
    "axes.titlesize": FONT_PT,
    "axes.labelsize": FONT_PT,
    "xtick.labelsize": SMALL_PT,
    "ytick.labelsize": SMALL_PT,
    "legend.fontsize": SMALL_PT,
    "figure.titlesize": TITLE_PT,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": "#444444",
    "axes.linewidth": 0.8,
    "axes.labelcolor": INK,
    "text.color": INK,
    "xtick.color": "#444444",
    "ytick.color": "#444444",
    "hatch.linewidth": 0.8,
    "legend.frameon": False,
}

F = TypeVar("F", bound=Callable[..., Any])


def chart(func: F) -> F:
    """Set up fonts and build the figure inside the house style's rc context."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        import matplotlib as mpl

        fonts.ensure_font()
        _ensure_display()
        with mpl.rc_context(_RC):
            return func(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def _ensure_display() -> None:
    """Let Jupyter show a returned Figure inline although pyplot was never imported.

    IPython learns to draw figures only when the inline backend is activated (by pyplot or
    ``%matplotlib inline``, which together cost a kernel 0.3 s); figures built without pyplot
    would show as ``<Figure ...>`` text. When running under IPython and no image printer is
    registered for figures, this registers ``figure_png``. An existing registration, e.g. by
    ``%matplotlib inline``, is kept.
    """
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is None:
        return
    from matplotlib.figure import Figure

    png = shell.display_formatter.formatters["image/png"]
    try:
        png.lookup_by_type(Figure)
    except KeyError:
        png.for_type(Figure, figure_png)


def figure_png(fig: Figure) -> tuple[bytes, dict[str, int]]:
    """A figure as PNG at 1.5× its size, with the size to show it at (sharp on HiDPI screens).

    Saved as laid out, without ``bbox_inches="tight"``, which would draw the figure twice:
    constrained layout already fits the figure to its content.
    """
    import io

    buffer = io.BytesIO()
    # zlib level 3 rather than 6: smaller and 40 % faster on these flat-colour charts
    fig.savefig(buffer, format="png", dpi=fig.dpi * PIXEL_RATIO, pil_kwargs={"compress_level": 3})
    width, height = fig.get_size_inches() * fig.dpi
    return buffer.getvalue(), {"width": round(width), "height": round(height)}


# Characters that may not start a line, and characters that may not end one.
_NO_START = set("，。、：；！？）》」』】〕”’%…—·")
_NO_END = set("（《「『【〔“‘")


def wrap(label: Any, width: int = WRAP, *, balance: bool = True) -> str:
    """Break a long (Chinese) label into lines of about ``width`` characters.

    Lines are filled in turn, unless (with ``balance``) the last would be left with under a
    third of a line; then all lines are evened out (11 characters at width 10 give 6 + 5, not
    10 + 1). A line never starts with closing punctuation nor ends with an opening bracket or quote, and a
    run of Latin letters or digits (2024, ABC) is not split.
    """
    text = str(label)
    if len(text) <= width:
        return text
    lines = _break(text, width)
    if balance and len(lines) > 1 and len(lines[-1]) * 3 < width:
        lines = _break(text, math.ceil(len(text) / len(lines)))
    return "\n".join(lines)


def _break(text: str, width: int) -> list[str]:
    lines: list[str] = []
    line = ""
    for ch in text:
        glued = line and line[-1].isascii() and line[-1].isalnum() and ch.isascii() and ch.isalnum()
        if len(line) >= width and ch not in _NO_START and not (glued and len(line) < width + 6):
            carry = ""
            while len(line) > 1 and line[-1] in _NO_END:
                carry, line = line[-1] + carry, line[:-1]
            lines.append(line)
            line = carry
        line += ch
    lines.append(line)
    return [x for x in lines if x]


def axis_label(measure: Any) -> str:
    """The value axis title naming the measure: 数量（件）, 比例（%）, 金额（万元）."""
    m = "" if is_missing(measure) else str(measure)
    if not m:
        return "数量（计量单位未注明）"
    if m == "%":
        return "比例（%）"
    if m.endswith("元"):
        return f"金额（{m}）"
    return f"数量（{m}）"


def new_figure(height_cm: float) -> Figure:
    """An empty figure of the house width and ``height_cm``, with constrained layout."""
    from matplotlib.figure import Figure

    return Figure(figsize=(WIDTH_CM * CM, height_cm * CM), layout="constrained")


def panels(fig: Figure, heights: list[float], *, sharex: bool = False) -> list[Axes]:
    """One column of axes, one per entry of ``heights`` (their relative heights)."""
    axes = fig.subplots(len(heights), 1, squeeze=False, height_ratios=heights, sharex=sharex)
    out = [ax for ax in axes[:, 0]]
    for ax in out:
        ax.tick_params(labelsize=SMALL_PT, length=3)
    return out


def finish(fig: Figure, title: str | None, source: str | None, notes: Iterable[str] = ()) -> Figure:
    """Add the title and the footer (notes, then the source line) below the plot."""
    if title:
        fig.suptitle(wrap(title, 32), fontsize=TITLE_PT)
    lines = [wrap(n, FOOTER_CHARS, balance=False) for n in dict.fromkeys(notes) if n]
    if source:
        lines.append(wrap(source, FOOTER_CHARS, balance=False))
    if not lines:
        return fig
    text = "\n".join(lines)
    footer_cm = 0.48 * (text.count("\n") + 1) + 0.35
    w, h = fig.get_size_inches()
    content_cm = h / CM
    total_cm = content_cm + footer_cm
    fig.set_size_inches(w, total_cm * CM)
    share = footer_cm / total_cm
    fig.get_layout_engine().set(rect=(0, share, 1, 1 - share))
    fig.text(
        0.012,
        0.18 / total_cm,
        text,
        ha="left",
        va="bottom",
        fontsize=SMALL_PT,
        color=NOTE,
        linespacing=1.45,
    )
    return fig


def empty(title: str | None, source: str | None, note: str = "无数据") -> Figure:
    """The figure for no data: ``note`` (无数据) in the middle, with the title and source."""
    fig = new_figure(HEIGHT_CM * 0.6)
    (ax,) = panels(fig, [1.0])
    ax.set_axis_off()
    ax.text(
        0.5, 0.5, note, ha="center", va="center", fontsize=14, color=NOTE, transform=ax.transAxes
    )
    fig.lawnb_empty = True  # type: ignore[attr-defined]  # lawnb.present.display.show leaves it out
    return finish(fig, title, source)


def is_empty(table: Any, columns: Iterable[str] = ()) -> bool:
    """True for no table or no rows; a table with rows but without a needed column is an error."""
    if table is None or len(table) == 0:
        return True
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise LawnbError(
            f"图表数据缺少列：{', '.join(missing)}（现有列：{', '.join(map(str, table.columns))}）。"
        )
    return False


def rows_height(labels: list[str], per_line: float = 0.42, minimum: float = 0.62) -> float:
    """Height in cm taken by horizontal bars with these (wrapped) labels."""
    return sum(max(minimum, per_line * (lab.count("\n") + 1) + 0.22) for lab in labels)


def measure_groups(table: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    """Rows split by measure, in order of first appearance; a missing measure is its own."""
    key = table["measure"].map(lambda m: "" if is_missing(m) else str(m))
    return [(m, table[key == m]) for m in dict.fromkeys(key.tolist())]


def split_note(groups: list[tuple[str, pd.DataFrame]]) -> list[str]:
    """The note that rows of different measures are drawn in separate panels (none for one)."""
    if len(groups) < 2:
        return []
    names = "、".join(m or "未注明" for m, _ in groups)
    return [f"计量单位不同的指标分图显示（{names}），各图数值轴单独计。"]


def qualifier_notes(qualifiers: Iterable[Any]) -> list[str]:
    """The note explaining the marks ≥, ≤ and 约 that the labels of these qualifiers carry."""
    qs = set(qualifiers)
    notes = []
    if "at_least" in qs:
        notes.append("“≥”表示不少于")
    if "at_most" in qs:
        notes.append("“≤”表示不超过")
    if "approx" in qs:
        notes.append("“约”表示报告给出的是约数（余、多、近、左右等）")
    return ["；".join(notes) + "。"] if notes else []


def records(table: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows of a table as dicts (much cheaper than ``iterrows`` on mixed columns)."""
    return table.to_dict("records")
