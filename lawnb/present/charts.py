"""Chinese charts from tables: font set-up, a print-friendly house style, chart functions.

Every chart function takes tables and returns a :class:`matplotlib.figure.Figure`; nothing
here reads files or touches pyplot state (figures are built with ``Figure`` directly and
display inline in Jupyter all the same). Importing this module is cheap: matplotlib and
pandas are imported inside the functions.

House style: 16×9 cm at A4 scale (taller when there are many rows), fonts of 9 pt and up, a
palette whose colours differ in lightness (so a greyscale print keeps them apart) with a
hatch on the second series, the measure named on every value axis, and a footer with notes
and the source line (:func:`source_line`). Empty input gives a figure saying 无数据.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Iterable
from functools import cache, wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from lawnb.errors import LawnbError
from lawnb.formatting import format_number, format_percent, is_missing, short_value
from lawnb.present.narrative import fact_label
from lawnb.schema import DIMENSIONS, PARTS

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "BUNDLED_FONT",
    "SYSTEM_FONTS",
    "by_dimension",
    "composition",
    "coverage_heatmap",
    "indicator_bars",
    "parts_present",
    "setup",
    "source_line",
    "targets_vs_results",
    "trend",
    "year_on_year",
]

# --------------------------------------------------------------------------- fonts

# System CJK families to use when present, best first.
SYSTEM_FONTS: tuple[str, ...] = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Microsoft YaHei",
    "PingFang SC",
    "Noto Sans SC",
    "Hiragino Sans GB",
)
# The OFL font shipped by the pip package mplfonts (package, path inside it). Never SimHei.
BUNDLED_FONT: tuple[str, str] = ("mplfonts", "fonts/NotoSansCJKsc-Regular.otf")

_font: dict[str, Any] = {}  # prefer_system, family, path of the set-up done last


def setup(prefer_system: bool = True) -> str:
    """Make matplotlib draw Chinese text; return the font family used.

    With ``prefer_system`` a CJK font the system already has (:data:`SYSTEM_FONTS`) is used;
    otherwise, or when there is none, the Noto Sans CJK SC file shipped by mplfonts is
    registered and put first, so it wins over a system font of the same family name. Sets
    ``font.family``, ``font.sans-serif`` and ``axes.unicode_minus``. Cheap when repeated;
    every chart function calls it lazily (keeping whichever choice was made last).
    """
    import matplotlib as mpl
    from matplotlib import font_manager as fm

    if _font.get("prefer_system") == prefer_system and _still_current(mpl, fm):
        return str(_font["family"])
    bundled = _bundled_path()
    family = path = None
    if prefer_system:
        _reorder(fm, bundled, first=False)
        family, path = _system_font(fm, bundled)
    if family is None:
        if bundled is None:
            raise LawnbError(
                "找不到中文字体：请安装 pip 包 mplfonts（pip install mplfonts），"
                "或安装系统中文字体（如 Debian/Ubuntu 的 fonts-noto-cjk）。"
            )
        if not any(f.fname == bundled for f in fm.fontManager.ttflist):
            fm.fontManager.addfont(bundled)
        _reorder(fm, bundled, first=True)
        family = fm.FontProperties(fname=bundled).get_name()
        path = bundled
    rest = [f for f in mpl.rcParams["font.sans-serif"] if f != family]
    mpl.rcParams["font.family"] = "sans-serif"
    mpl.rcParams["font.sans-serif"] = [family, *rest]  # the rest stay as glyph fallbacks
    mpl.rcParams["axes.unicode_minus"] = False
    _font.update(prefer_system=prefer_system, family=family, path=path)
    return family


def _ensure_font() -> None:
    """Set fonts up on first use, keeping an earlier explicit choice; cheap afterwards."""
    setup(bool(_font.get("prefer_system", True)))


def _still_current(mpl: Any, fm: Any) -> bool:
    family = _font.get("family")
    if not family or list(mpl.rcParams["font.sans-serif"][:1]) != [family]:
        return False
    return _resolve(fm, family) == _font.get("path")


def _resolve(fm: Any, family: str) -> str | None:
    """The file matplotlib would draw ``family`` from, or None."""
    try:
        found = fm.fontManager.findfont(fm.FontProperties(family=family), fallback_to_default=False)
    except ValueError:
        return None
    return str(found)


@cache
def _bundled_path() -> str | None:
    """The Noto Sans CJK SC file inside the mplfonts package, located without its API."""
    from importlib import resources

    package, inner = BUNDLED_FONT
    try:
        res = resources.files(package).joinpath(inner)
    except ModuleNotFoundError:
        return None
    path = Path(str(res))
    return str(path) if path.is_file() else None


def _system_font(fm: Any, bundled: str | None) -> tuple[str | None, str | None]:
    names = {f.name for f in fm.fontManager.ttflist if f.fname != bundled}
    for family in SYSTEM_FONTS:
        if family in names:
            path = _resolve(fm, family)
            if path is not None and path != bundled:
                return family, path
    return None, None


def _reorder(fm: Any, path: str | None, *, first: bool) -> None:
    """Move the font manager's entries for ``path`` to the front (or back) of its list.

    Among equally good matches matplotlib takes the first, so this decides between the
    bundled file and a system font of the same family name.
    """
    if path is None:
        return
    ttf = fm.fontManager.ttflist
    mine = [f for f in ttf if f.fname == path]
    if not mine:
        return
    others = [f for f in ttf if f.fname != path]
    ttf[:] = mine + others if first else others + mine
    cached = getattr(fm.fontManager, "_findfont_cached", None)
    if cached is not None and hasattr(cached, "cache_clear"):
        cached.cache_clear()


# --------------------------------------------------------------------------- house style

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

# Line series for trend(): colour, line style and marker all differ.
_LINES = [
    (DARK, "-", "o"),
    (MID, "--", "s"),
    ("#0B0B0B", ":", "^"),
    ("#7FA7CC", "-.", "D"),
    ("#3C6E9C", (0, (5, 1, 1, 1)), "v"),
    ("#99B8D6", (0, (1, 1)), "P"),
]

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


def _chart(func: F) -> F:
    """Set up fonts and build the figure inside the house style's rc context."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        import matplotlib as mpl

        _ensure_font()
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


def source_line(unit: str, year: int | str, *, demo: bool = False) -> str:
    """The footer line naming where the data come from.

    ``source_line("齐村镇", 2020) == "数据来源：齐村镇2020年度法治政府建设情况报告"``; with
    ``demo=True`` it says the data are fictional (虚构示例数据).
    """
    if demo:
        return f"数据来源：虚构示例数据（{unit}{year}年度），仅作演示，不代表任何真实报告"
    return f"数据来源：{unit}{year}年度法治政府建设情况报告"


# Characters that may not start a line, and characters that may not end one.
_NO_START = set("，。、：；！？）》」』】〕”’%…—·")
_NO_END = set("（《「『【〔“‘")


def _wrap(label: Any, width: int = WRAP, *, balance: bool = True) -> str:
    """Break a long (Chinese) label into lines of about ``width`` characters.

    Lines are filled in turn, unless (with ``balance``) the last would be left with under a
    third of a line; then all lines are evened out (11 characters at width 10 give 6 + 5, not 10 + 1). A line
    never starts with closing punctuation nor ends with an opening bracket or quote, and a
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


def _axis_label(measure: Any) -> str:
    m = "" if is_missing(measure) else str(measure)
    if not m:
        return "数量（计量单位未注明）"
    if m == "%":
        return "比例（%）"
    if m.endswith("元"):
        return f"金额（{m}）"
    return f"数量（{m}）"


def _new_figure(height_cm: float) -> Figure:
    from matplotlib.figure import Figure

    return Figure(figsize=(WIDTH_CM * CM, height_cm * CM), layout="constrained")


def _panels(fig: Figure, heights: list[float], *, sharex: bool = False) -> list[Axes]:
    axes = fig.subplots(len(heights), 1, squeeze=False, height_ratios=heights, sharex=sharex)
    out = [ax for ax in axes[:, 0]]
    for ax in out:
        ax.tick_params(labelsize=SMALL_PT, length=3)
    return out


def _finish(
    fig: Figure, title: str | None, source: str | None, notes: Iterable[str] = ()
) -> Figure:
    """Add the title and the footer (notes, then the source line) below the plot."""
    if title:
        fig.suptitle(_wrap(title, 32), fontsize=TITLE_PT)
    lines = [_wrap(n, FOOTER_CHARS, balance=False) for n in dict.fromkeys(notes) if n]
    if source:
        lines.append(_wrap(source, FOOTER_CHARS, balance=False))
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


def _empty(title: str | None, source: str | None, note: str = "无数据") -> Figure:
    fig = _new_figure(HEIGHT_CM * 0.6)
    (ax,) = _panels(fig, [1.0])
    ax.set_axis_off()
    ax.text(
        0.5, 0.5, note, ha="center", va="center", fontsize=14, color=NOTE, transform=ax.transAxes
    )
    fig.lawnb_empty = True  # type: ignore[attr-defined]  # lawnb.present.display.show leaves it out
    return _finish(fig, title, source)


def _is_empty(table: Any, columns: Iterable[str] = ()) -> bool:
    """True for no table or no rows; a table with rows but without a needed column is an error."""
    if table is None or len(table) == 0:
        return True
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise LawnbError(
            f"图表数据缺少列：{', '.join(missing)}（现有列：{', '.join(map(str, table.columns))}）。"
        )
    return False


def _rows_height(labels: list[str], per_line: float = 0.42, minimum: float = 0.62) -> float:
    """Height in cm taken by horizontal bars with these (wrapped) labels."""
    return sum(max(minimum, per_line * (lab.count("\n") + 1) + 0.22) for lab in labels)


def _headroom(ax: Axes, vmax: float, labels: Iterable[str], extra: float = 0.0) -> None:
    """Widen the value axis so the value labels (and ``extra`` share) fit right of the bars."""
    longest = max((len(s) for s in labels), default=0)
    share = min(0.6, (0.3 * longest + 0.3) / 11.0 + extra)
    top = vmax if vmax > 0 else 1.0
    ax.set_xlim(0, top / (1 - share))


def _measure_groups(table: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    """Rows split by measure, in order of first appearance; a missing measure is its own."""
    key = table["measure"].map(lambda m: "" if is_missing(m) else str(m))
    return [(m, table[key == m]) for m in dict.fromkeys(key.tolist())]


def _integer_axis(axis: Any) -> None:
    from matplotlib.ticker import MaxNLocator

    axis.set_major_locator(MaxNLocator(nbins="auto", steps=[1, 2, 5, 10], integer=True))


def _describe(facts: pd.DataFrame) -> str:
    """``齐村镇2020年度`` when all facts come from one report, else ``""``."""
    if "report_id" not in facts.columns:
        return ""
    ids = facts["report_id"].dropna().unique()
    if len(ids) != 1:
        return ""
    bits = str(ids[0]).split("/")
    if len(bits) >= 3:
        return f"{bits[-2]}{bits[-1]}年度"
    return str(ids[0])


def _qualifier_notes(qualifiers: Iterable[Any]) -> list[str]:
    qs = set(qualifiers)
    notes = []
    if "at_least" in qs:
        notes.append("“≥”表示不少于")
    if "at_most" in qs:
        notes.append("“≤”表示不超过")
    if "approx" in qs:
        notes.append("“约”表示报告给出的是约数（余、多、近、左右等）")
    return ["；".join(notes) + "。"] if notes else []


# --------------------------------------------------------------------------- bar panels

_KIND_STYLE = {
    "achievement": (DARK, "", "工作成效"),
    "status": (MID, "", "现状数据"),
    "composition": (LIGHT, "", "构成数据"),
    "target": ("white", HATCH, "下一年度目标"),
}
_DERIVED_STYLE = ("white", DERIVED_HATCH, "推算")
_STATUS_COLOR = {"已完成": DARK, "未完成": ALERT, "无可比数据": NOTE}


def _bar_style(row: Any) -> tuple[str, str, str]:
    """(face colour, hatch, legend name) of a fact's bar."""
    if row.get("origin") == "derived":
        return _DERIVED_STYLE
    return _KIND_STYLE.get(row.get("kind"), _KIND_STYLE["achievement"])


def _bar_label(row: Any) -> str:
    text = fact_label(row)
    return text + "（推算）" if row.get("origin") == "derived" else text


def _bar_panels(
    label_sets: list[list[str]], *, minimum: float = 0.7, legend: list[Any] | None = None
) -> tuple[Figure, list[Axes]]:
    """A figure with one horizontal-bar panel per label set, tall enough for its rows."""
    rows = math.ceil(len(legend) / 3) if legend else 0
    heights = [_rows_height(labs, minimum=minimum) + 1.4 for labs in label_sets]
    heights[0] += 0.5 * rows  # the legend sits above the first panel
    fig = _new_figure(max(HEIGHT_CM, sum(heights) + 1.2))
    axes = _panels(fig, heights)
    if legend:  # on the first panel, so constrained layout makes room for it under the title
        axes[0].legend(
            handles=legend,
            loc="lower right",
            bbox_to_anchor=(1.0, 1.02),
            ncols=min(len(legend), 3),
            borderaxespad=0,
            handlelength=2.2,
            columnspacing=1.4,
        )
    return fig, axes


def _patch(face: str, hatch: str, label: str) -> Any:
    from matplotlib.patches import Patch

    return Patch(facecolor=face, edgecolor=DARK, hatch=hatch, linewidth=0.8, label=label)


def _value_axis(ax: Axes, labels: list[str], measure: str) -> None:
    """Category labels down the side, the measure on the value axis, light vertical grid.

    When every bar drawn is a whole number, so are the ticks (no 0.5 处).
    """
    if all(float(p.get_width()).is_integer() for p in ax.patches):
        _integer_axis(ax.xaxis)
    ax.set_yticks(range(len(labels)), labels=labels)
    ax.set_ylim(len(labels) - 0.5, -0.5)
    ax.set_xlabel(_axis_label(measure))
    ax.grid(axis="x", color="#DDDDDD", linewidth=0.6)
    ax.set_axisbelow(True)


def _mark(ax: Axes, x: float, y: float, text: str, color: str = INK) -> None:
    """A label just right of (x, y): a value at a bar's end, or 无数据 at zero."""
    from matplotlib.transforms import offset_copy

    ax.text(
        x,
        y,
        text,
        transform=offset_copy(ax.transData, fig=ax.figure, x=3, y=0, units="points"),
        va="center",
        fontsize=SMALL_PT,
        color=color,
    )


def _paired_bars(
    ax: Axes, group: pd.DataFrame, series: list[tuple[str, str | None, float, str, str, str, str]]
) -> tuple[list[str], float, list[Any]]:
    """Two bars per row: ``series`` holds (column, qualifier column, offset, face, hatch,
    legend name, text when missing). A missing value gets its text, never a zero bar.

    Returns the texts drawn, the largest value and the qualifiers seen.
    """
    ys = range(len(group))
    texts: list[str] = []
    quals: list[Any] = []
    vmax = 0.0
    for column, qcol, offset, face, hatch, name, missing in series:
        values = group[column].tolist()
        qs = group[qcol].tolist() if qcol and qcol in group.columns else ["exact"] * len(values)
        present = [
            (y, float(v), q) for y, v, q in zip(ys, values, qs, strict=True) if not is_missing(v)
        ]
        ax.barh(
            [y + offset for y, _, _ in present],
            [v for _, v, _ in present],
            height=0.38,
            color=face,
            edgecolor=DARK,
            hatch=hatch,
            linewidth=0.8,
            label=name,
        )
        vmax = max([vmax, *(v for _, v, _ in present)])
        for y, v, q in present:
            texts.append(short_value(v, q))
            quals.append(q)
            _mark(ax, v, y + offset, texts[-1])
        for y, v in zip(ys, values, strict=True):
            if is_missing(v):
                texts.append(missing)
                _mark(ax, 0, y + offset, missing, NOTE)
    return texts, vmax, quals


def _records(table: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows of a table as dicts (much cheaper than ``iterrows`` on mixed columns)."""
    return table.to_dict("records")


def _split_note(groups: list[tuple[str, pd.DataFrame]]) -> list[str]:
    if len(groups) < 2:
        return []
    names = "、".join(m or "未注明" for m, _ in groups)
    return [f"计量单位不同的指标分图显示（{names}），各图数值轴单独计。"]


# --------------------------------------------------------------------------- charts


@_chart
def by_dimension(facts: pd.DataFrame, *, source: str | None = None) -> Figure:
    """Number of facts per dimension of one report, as horizontal bars.

    Dimensions follow :data:`lawnb.schema.DIMENSIONS`; a dimension without facts is shown
    as 无数据 (no bar), facts without a known dimension as 未归类.
    """
    who = "" if facts is None else _describe(facts)
    title = f"{who}报告各维度量化指标数" if who else "各维度量化指标数"
    if _is_empty(facts, ["dimension"]):
        return _empty(title, source)
    dims = facts["dimension"]
    rows = [(name, int((dims == code).sum())) for code, name in DIMENSIONS.items()]
    other = int((~dims.isin(list(DIMENSIONS))).sum())
    if other:
        rows.append(("未归类", other))
    fig, (ax,) = _bar_panels([[name for name, _ in rows]])
    vmax = 0
    for y, (_, n) in enumerate(rows):
        if n > 0:
            ax.barh(y, n, color=DARK, height=0.62)
            _mark(ax, n, y, str(n))
            vmax = max(vmax, n)
        else:
            _mark(ax, 0, y, "无数据", NOTE)
    _headroom(ax, vmax, ["无数据", str(vmax)])
    _value_axis(ax, [name for name, _ in rows], "")
    ax.set_xlabel("量化指标数（项）")
    return _finish(fig, title, source, [f"共{len(facts)}项量化指标。"])


@_chart
def dimension_coverage(
    table: pd.DataFrame, *, title: str, source: str | None = None, notes: Iterable[str] = ()
) -> Figure:
    """What a report covers: per dimension, the figures given and the sections addressing it.

    ``table`` has columns 维度, 章节数, 数据项数 (one row per dimension, in order). A bar per
    dimension for its figures, labelled ``3项·2节``; a dimension with sections but no figure
    reads ``0项·2节``, one the report does not address 未涉及, never a zero bar.
    """
    if _is_empty(table, ["维度", "章节数", "数据项数"]):
        return _empty(title, source)
    labels = [str(name) for name in table["维度"]]
    fig, (ax,) = _bar_panels([labels])
    vmax, marks = 0, []
    for y, row in enumerate(_records(table)):
        sections, figures = int(row["章节数"]), int(row["数据项数"])
        if sections == 0 and figures == 0:
            marks.append("未涉及")
            _mark(ax, 0, y, "未涉及", NOTE)
            continue
        mark = f"{figures}项·{sections}节"
        marks.append(mark)
        if figures:
            ax.barh(y, figures, height=0.62, color=DARK)
            vmax = max(vmax, figures)
        _mark(ax, figures, y, mark, INK if figures else NOTE)
    _headroom(ax, vmax, marks)
    _value_axis(ax, labels, "")
    ax.set_xlabel("报告的数据项数（项）")
    return _finish(
        fig, title, source, ["“3项·2节”：报告给出3项数据，有2节（章节）写到这一方面。", *notes]
    )


@_chart
def indicator_bars(facts: pd.DataFrame, *, title: str, source: str | None = None) -> Figure:
    """A chosen group of facts as horizontal bars labelled by subject, values on the bars.

    Values keep their qualifier (约800, ≥8, ≤5). Rows of different measures go into one
    panel per measure, each with its own value axis naming the measure. Bars differ by
    kind (targets hatched); derived values are cross-hatched and marked 推算.
    """
    if _is_empty(facts, ["value", "measure"]):
        return _empty(title, source)
    rows = facts[facts["value"].notna()]
    if len(rows) == 0:
        return _empty(title, source)
    groups = _measure_groups(rows)
    label_sets = [[_wrap(_bar_label(r)) for r in _records(g)] for _, g in groups]
    styles = list(dict.fromkeys(_bar_style(r) for r in _records(rows)))
    legend = [_patch(*style) for style in styles] if len(styles) > 1 else None
    fig, axes = _bar_panels(label_sets, legend=legend)
    for ax, (measure, group), labels in zip(axes, groups, label_sets, strict=True):
        texts = []
        for y, row in enumerate(_records(group)):
            face, hatch, name = _bar_style(row)
            v = float(row["value"])
            ax.barh(
                y,
                v,
                height=0.62,
                color=face,
                edgecolor=DARK,
                hatch=hatch,
                linewidth=0.8,
                label=name,
            )
            texts.append(short_value(v, row.get("qualifier")))
            _mark(ax, max(v, 0.0), y, texts[-1])
        _headroom(ax, float(group["value"].max()), texts)
        _value_axis(ax, labels, measure)
    notes = _split_note(groups)
    if _DERIVED_STYLE in styles:
        notes.append("交叉线为推算值：由报告中的总数和各部分推算，报告未直接给出。")
    notes += _qualifier_notes(rows["qualifier"] if "qualifier" in rows.columns else [])
    return _finish(fig, title, source, notes)


@_chart
def composition(facts: pd.DataFrame, *, of: str, source: str | None = None) -> Figure:
    """The parts of a whole (``kind == "composition"`` rows whose ``of`` is ``of``).

    One bar per part with its count and its share of the whole. The whole is the
    non-composition fact whose subject is ``of`` when there is one, else the sum of the
    parts. A derived remainder (origin ``derived``) is cross-hatched and marked 推算.
    """
    title = f"{of}构成"
    if _is_empty(facts, ["value", "kind", "of"]):
        return _empty(title, source)
    parts = facts[(facts["kind"] == "composition") & (facts["of"] == of) & facts["value"].notna()]
    if len(parts) == 0:
        return _empty(title, source)
    measure = next((str(m) for m in parts.get("measure", []) if not is_missing(m)), "")
    parts_sum = float(parts["value"].sum())
    whole = _whole(facts, of, measure)
    notes = []
    if whole is None:
        whole = parts_sum
        notes.append(f"报告未给出{of}总数，比例按各部分合计计算。")
    elif not math.isclose(parts_sum, whole):
        relation = "少于" if parts_sum < whole else "多于"
        notes.append(
            f"各部分合计{format_number(parts_sum)}{measure}，{relation}总数"
            f"{format_number(whole)}{measure}。"
        )
    labels = [_wrap(_bar_label(r)) for r in _records(parts)]
    fig, (ax,) = _bar_panels([labels])
    texts, derived = [], []
    for y, row in enumerate(_records(parts)):
        v = float(row["value"])
        share = f"（{format_percent(v / whole * 100)}）" if whole else ""
        texts.append(f"{short_value(v, row.get('qualifier'))}{measure}{share}")
        is_derived = row.get("origin") == "derived"
        if is_derived:
            derived.append(fact_label(row))
        face, hatch, _ = _DERIVED_STYLE if is_derived else _KIND_STYLE["achievement"]
        ax.barh(y, v, height=0.62, color=face, edgecolor=DARK, hatch=hatch, linewidth=0.8)
        _mark(ax, v, y, texts[-1])
    _headroom(ax, float(parts["value"].max()), texts)
    _value_axis(ax, labels, measure)
    if derived:
        notes.append(f"推算：{'、'.join(derived)}由总数减去报告列明的各部分得出，报告未直接给出。")
    title = f"{of}构成（共{format_number(whole)}{measure}）"
    return _finish(fig, title, source, notes)


def _whole(facts: pd.DataFrame, of: str, measure: str) -> float | None:
    """The value of the whole a composition is a part of, when the facts state it."""
    if "subject" not in facts.columns:
        return None
    rows = facts[(facts["subject"] == of) & (facts["kind"] != "composition")]
    rows = rows[rows["value"].notna()]
    if "measure" in rows.columns and measure:
        rows = rows[rows["measure"] == measure]
    return float(rows["value"].iloc[0]) if len(rows) else None


@_chart
def trend(table: pd.DataFrame, *, source: str | None = None) -> Figure:
    """Indicators over the years: one line each, a missing year is a gap (not a zero).

    ``table`` has columns year, label, value, measure. Indicators with different
    measures go into separate panels. An indicator with a single year is noted below.
    """
    import pandas as pd

    title = "历年指标变化"
    if _is_empty(table, ["year", "label", "value", "measure"]):
        return _empty(title, source)
    data = table[table["year"].notna()].copy()
    if len(data) == 0:
        return _empty(title, source)
    data["year"] = data["year"].astype(int)
    data["value"] = pd.to_numeric(data["value"], errors="coerce").astype(float)
    years = list(range(int(data["year"].min()), int(data["year"].max()) + 1))
    groups = _measure_groups(data)
    fig = _new_figure(max(HEIGHT_CM, 5.2 * len(groups) + 1.5))
    axes = _panels(fig, [1.0] * len(groups), sharex=True)
    single: list[str] = []
    n = 0
    for ax, (measure, group) in zip(axes, groups, strict=True):
        for label in dict.fromkeys(group["label"].tolist()):
            rows = group[group["label"] == label]
            values = rows.groupby("year")["value"].first().reindex(years)
            color, style, marker = _LINES[n % len(_LINES)]
            n += 1
            ax.plot(
                years,
                values.to_numpy(),
                color=color,
                linestyle=style,
                marker=marker,
                markersize=5,
                linewidth=1.6,
                label=_wrap(label, 12),
            )
            present = values.dropna()
            if len(present) == 1:
                single.append(f"{label}（{int(present.index[0])}年）")
        ax.set_ylim(bottom=min(0.0, float(group["value"].min())))
        ax.set_ylabel(_axis_label(measure))
        ax.grid(axis="y", color="#DDDDDD", linewidth=0.6)
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0)
    fig.align_ylabels(axes)
    axes[-1].set_xticks(years, labels=[f"{y}年" for y in years])
    axes[-1].set_xlim(years[0] - 0.4, years[-1] + 0.4)
    notes = []
    if single:
        notes.append("仅有一年数据，无法连线：" + "、".join(single) + "。")
    notes += _split_note(groups)
    notes.append("某年无数据时折线断开，不按0计。")
    return _finish(fig, title, source, notes)


@_chart
def year_on_year(table: pd.DataFrame, *, source: str | None = None) -> Figure:
    """Last year and this year side by side, per label.

    ``table`` has columns label, previous, current, measure (optionally prev_qualifier and
    cur_qualifier). A missing side is written as 上年无数据 / 本年无数据, not drawn as 0.
    """
    title = "本年与上年对比"
    if _is_empty(table, ["label", "previous", "current", "measure"]):
        return _empty(title, source)
    groups = _measure_groups(table)
    label_sets = [[_wrap(x) for x in g["label"]] for _, g in groups]
    legend = [_patch(LIGHT, HATCH, "上年"), _patch(DARK, "", "本年")]
    fig, axes = _bar_panels(label_sets, minimum=0.95, legend=legend)
    series = [
        ("previous", "prev_qualifier", -0.2, LIGHT, HATCH, "上年", "上年无数据"),
        ("current", "cur_qualifier", 0.2, DARK, "", "本年", "本年无数据"),
    ]
    quals: list[Any] = []
    for ax, (measure, group), labels in zip(axes, groups, label_sets, strict=True):
        texts, vmax, qs = _paired_bars(ax, group, series)
        quals += qs
        _headroom(ax, vmax, texts)
        _value_axis(ax, labels, measure)
    return _finish(fig, title, source, _split_note(groups) + _qualifier_notes(quals))


@_chart
def targets_vs_results(table: pd.DataFrame, *, source: str | None = None) -> Figure:
    """Last year's targets against this year's results, with the status in words.

    ``table`` has columns label, target, qualifier, result, status (已完成|未完成|无可比数据),
    measure. The target bar is hatched and outlined, the result solid.
    """
    title = "上年目标完成情况"
    cols = ["label", "target", "qualifier", "result", "status", "measure"]
    if _is_empty(table, cols):
        return _empty(title, source)
    groups = _measure_groups(table)
    label_sets = [[_wrap(x) for x in g["label"]] for _, g in groups]
    legend = [_patch("white", HATCH, "目标"), _patch(DARK, "", "实际完成")]
    fig, axes = _bar_panels(label_sets, minimum=0.95, legend=legend)
    series = [
        ("target", "qualifier", -0.2, "white", HATCH, "目标", "未设定量化目标"),
        ("result", None, 0.2, DARK, "", "实际完成", "无实际数据"),
    ]
    for ax, (measure, group), labels in zip(axes, groups, label_sets, strict=True):
        texts, vmax, _ = _paired_bars(ax, group, series)
        for y, status in enumerate(group["status"]):
            word = "无可比数据" if is_missing(status) else str(status)
            ax.text(
                0.995,
                y,
                word,
                transform=ax.get_yaxis_transform(),
                ha="right",
                va="center",
                fontsize=FONT_PT,
                color=_STATUS_COLOR.get(word, NOTE),
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 1.5},
            )
        _headroom(ax, vmax, texts, extra=0.16)
        _value_axis(ax, labels, measure)
    notes = _split_note(groups) + _qualifier_notes(table["qualifier"])
    return _finish(fig, title, source, notes)


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


_MISSING_CELL = ("—", "white", "////", NOTE)


def _ordered(table: pd.DataFrame, known: dict[str, str]) -> pd.DataFrame:
    """Known codes first, in the schema's order, then any other columns."""
    order = [c for c in known if c in table.columns]
    return table[order + [c for c in table.columns if c not in known]]


@_chart
def coverage_heatmap(table: pd.DataFrame, *, source: str | None = None) -> Figure:
    """Units × dimensions: how many facts each unit reported in each dimension.

    ``table`` is indexed by unit with dimension-code columns. Cells are annotated; a 0
    (nothing in that dimension) is drawn apart from a missing cell (—, hatched: no report).
    """
    from matplotlib import colormaps
    from matplotlib.colors import Normalize

    title = "各单位各维度量化指标数"
    if _is_empty(table) or len(table.columns) == 0:
        return _empty(title, source)
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
    rows = [_wrap(u, 8) for u in data.index]
    fig = _new_figure(max(HEIGHT_CM * 0.6, _rows_height(rows, minimum=0.72) + 3.0))
    (ax,) = _panels(fig, [1.0])
    _grid(ax, rows, [_wrap(DIMENSIONS.get(c, c), 2) for c in data.columns], cells)
    notes = [
        "格中数字为量化指标数，颜色越深越多；0表示报告中该维度没有量化指标，"
        "“—”（斜线格）表示无数据（未收到报告或未解析）。"
    ]
    return _finish(fig, title, source, notes)


# Mandated parts a report may leave out (其他事项: only when there is something to say).
OPTIONAL_PARTS = frozenset({"other"})


@_chart
def parts_present(table: pd.DataFrame, *, source: str | None = None) -> Figure:
    """Units × the five mandated parts: 有 when the report has the part, 缺 when not.

    ``table`` is indexed by unit with part-code columns (:data:`lawnb.schema.PARTS`) holding
    booleans; a missing value is shown as — on a hatched cell.
    """
    title = "各单位报告法定组成部分齐全情况"
    if _is_empty(table) or len(table.columns) == 0:
        return _empty(title, source)
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
    rows = [_wrap(u, 8) for u in data.index]
    fig = _new_figure(max(HEIGHT_CM * 0.6, _rows_height(rows, minimum=0.72) + 3.6))
    (ax,) = _panels(fig, [1.0])
    _grid(ax, rows, [_wrap(PARTS.get(c, c), 6) for c in data.columns], cells)
    notes = [
        "“有”表示报告含该部分，“缺”表示未找到该部分，“—”（斜线格）表示无数据；"
        "“其他事项”可不单列，未单列不算缺项。"
    ]
    return _finish(fig, title, source, notes)
