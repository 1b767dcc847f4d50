"""Horizontal bars in the house style: bar panels, bar styles by kind, value labels, axes.

Takes facts' rows and the axes to draw on; gives panels sized to their (wrapped) labels, the
face, hatch and legend name of a fact's bar (by kind; derived values cross-hatched and marked
推算), value labels beside the bars and a value axis naming the measure.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from lawnb.labels import KIND_NAMES, ORIGIN_LABELS
from lawnb.present.charts.style import (
    DARK,
    DERIVED_HATCH,
    HATCH,
    HEIGHT_CM,
    INK,
    LIGHT,
    MID,
    SMALL_PT,
    axis_label,
    new_figure,
    panels,
    rows_height,
)
from lawnb.present.narrative import derived_mark, fact_label

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

# (face colour, hatch, legend name) of a bar, by the fact's kind; a derived value is crossed.
KIND_STYLE = {
    "achievement": (DARK, "", KIND_NAMES["achievement"]),
    "status": (MID, "", KIND_NAMES["status"]),
    "composition": (LIGHT, "", KIND_NAMES["composition"]),
    "target": ("white", HATCH, KIND_NAMES["target"]),
}
DERIVED_STYLE = ("white", DERIVED_HATCH, ORIGIN_LABELS["derived"])


def bar_style(row: Any) -> tuple[str, str, str]:
    """(face colour, hatch, legend name) of a fact's bar."""
    if row.get("origin") == "derived":
        return DERIVED_STYLE
    return KIND_STYLE.get(row.get("kind"), KIND_STYLE["achievement"])


def bar_label(row: Any) -> str:
    """A fact's category label: what it counts, marked （推算） when derived."""
    return fact_label(row) + derived_mark(row)


def bar_panels(
    label_sets: list[list[str]], *, minimum: float = 0.7, legend: list[Any] | None = None
) -> tuple[Figure, list[Axes]]:
    """A figure with one horizontal-bar panel per label set, tall enough for its rows."""
    rows = math.ceil(len(legend) / 3) if legend else 0
    heights = [rows_height(labs, minimum=minimum) + 1.4 for labs in label_sets]
    heights[0] += 0.5 * rows  # the legend sits above the first panel
    fig = new_figure(max(HEIGHT_CM, sum(heights) + 1.2))
    axes = panels(fig, heights)
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


def patch(face: str, hatch: str, label: str) -> Any:
    """A legend entry for bars of this face colour and hatch."""
    from matplotlib.patches import Patch

    return Patch(facecolor=face, edgecolor=DARK, hatch=hatch, linewidth=0.8, label=label)


def value_axis(ax: Axes, labels: list[str], measure: str) -> None:
    """Category labels down the side, the measure on the value axis, light vertical grid.

    When every bar drawn is a whole number, so are the ticks (no 0.5 处).
    """
    if all(float(p.get_width()).is_integer() for p in ax.patches):
        _integer_axis(ax.xaxis)
    ax.set_yticks(range(len(labels)), labels=labels)
    ax.set_ylim(len(labels) - 0.5, -0.5)
    ax.set_xlabel(axis_label(measure))
    ax.grid(axis="x", color="#DDDDDD", linewidth=0.6)
    ax.set_axisbelow(True)


def _integer_axis(axis: Any) -> None:
    from matplotlib.ticker import MaxNLocator

    axis.set_major_locator(MaxNLocator(nbins="auto", steps=[1, 2, 5, 10], integer=True))


def mark(ax: Axes, x: float, y: float, text: str, color: str = INK) -> None:
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


def headroom(ax: Axes, vmax: float, labels: Iterable[str], extra: float = 0.0) -> None:
    """Widen the value axis so the value labels (and ``extra`` share) fit right of the bars."""
    longest = max((len(s) for s in labels), default=0)
    share = min(0.6, (0.3 * longest + 0.3) / 11.0 + extra)
    top = vmax if vmax > 0 else 1.0
    ax.set_xlim(0, top / (1 - share))
