"""The charts of one unit across years: indicators over the years, this year against last
year, and last year's targets against this year's results.

Each function takes a table from ``lawnb.analyse`` (changes, series) (as ``lawnb.present.views`` shapes
it) and returns a :class:`matplotlib.figure.Figure` in the house style; a missing year or side
is a gap or a word, never a zero; empty input gives the 无数据 figure.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lawnb.formatting import is_missing, short_value
from lawnb.present.charts.bars import bar_panels, headroom, mark, patch, value_axis
from lawnb.present.charts.style import (
    ALERT,
    DARK,
    FONT_PT,
    HATCH,
    HEIGHT_CM,
    LIGHT,
    MID,
    NOTE,
    axis_label,
    chart,
    empty,
    finish,
    is_empty,
    measure_groups,
    new_figure,
    panels,
    qualifier_notes,
    split_note,
    wrap,
)

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

# Line series for trend(): colour, line style and marker all differ.
_LINES = [
    (DARK, "-", "o"),
    (MID, "--", "s"),
    ("#0B0B0B", ":", "^"),
    ("#7FA7CC", "-.", "D"),
    ("#3C6E9C", (0, (5, 1, 1, 1)), "v"),
    ("#99B8D6", (0, (1, 1)), "P"),
]
# The colour of a target's status, said in words beside its bars.
_STATUS_COLOR = {"已完成": DARK, "未完成": ALERT, "无可比数据": NOTE}


@chart
def trend(table: pd.DataFrame, *, source: str | None = None) -> Figure:
    """Indicators over the years: one line each, a missing year is a gap (not a zero).

    ``table`` has columns year, label, value, measure. Indicators with different
    measures go into separate panels. An indicator with a single year is noted below.
    """
    import pandas as pd

    title = "历年指标变化"
    if is_empty(table, ["year", "label", "value", "measure"]):
        return empty(title, source)
    data = table[table["year"].notna()].copy()
    if len(data) == 0:
        return empty(title, source)
    data["year"] = data["year"].astype(int)
    data["value"] = pd.to_numeric(data["value"], errors="coerce").astype(float)
    years = list(range(int(data["year"].min()), int(data["year"].max()) + 1))
    groups = measure_groups(data)
    fig = new_figure(max(HEIGHT_CM, 5.2 * len(groups) + 1.5))
    axes = panels(fig, [1.0] * len(groups), sharex=True)
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
                label=wrap(label, 12),
            )
            present = values.dropna()
            if len(present) == 1:
                single.append(f"{label}（{int(present.index[0])}年）")
        ax.set_ylim(bottom=min(0.0, float(group["value"].min())))
        ax.set_ylabel(axis_label(measure))
        ax.grid(axis="y", color="#DDDDDD", linewidth=0.6)
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0)
    fig.align_ylabels(axes)
    axes[-1].set_xticks(years, labels=[f"{y}年" for y in years])
    axes[-1].set_xlim(years[0] - 0.4, years[-1] + 0.4)
    notes = []
    if single:
        notes.append("仅有一年数据，无法连线：" + "、".join(single) + "。")
    notes += split_note(groups)
    notes.append("某年无数据时折线断开，不按0计。")
    return finish(fig, title, source, notes)


@chart
def year_on_year(table: pd.DataFrame, *, source: str | None = None) -> Figure:
    """Last year and this year side by side, per label.

    ``table`` has columns label, previous, current, measure (optionally prev_qualifier and
    cur_qualifier). A missing side is written as 上年无数据 / 本年无数据, not drawn as 0.
    """
    title = "本年与上年对比"
    if is_empty(table, ["label", "previous", "current", "measure"]):
        return empty(title, source)
    groups = measure_groups(table)
    label_sets = [[wrap(x) for x in g["label"]] for _, g in groups]
    legend = [patch(LIGHT, HATCH, "上年"), patch(DARK, "", "本年")]
    fig, axes = bar_panels(label_sets, minimum=0.95, legend=legend)
    series = [
        ("previous", "prev_qualifier", -0.2, LIGHT, HATCH, "上年", "上年无数据"),
        ("current", "cur_qualifier", 0.2, DARK, "", "本年", "本年无数据"),
    ]
    quals: list[Any] = []
    for ax, (measure, group), labels in zip(axes, groups, label_sets, strict=True):
        texts, vmax, qs = _paired_bars(ax, group, series)
        quals += qs
        headroom(ax, vmax, texts)
        value_axis(ax, labels, measure)
    return finish(fig, title, source, split_note(groups) + qualifier_notes(quals))


@chart
def targets_vs_results(table: pd.DataFrame, *, source: str | None = None) -> Figure:
    """Last year's targets against this year's results, with the status in words.

    ``table`` has columns label, target, qualifier, result, status (已完成|未完成|无可比数据),
    measure. The target bar is hatched and outlined, the result solid.
    """
    title = "上年目标完成情况"
    cols = ["label", "target", "qualifier", "result", "status", "measure"]
    if is_empty(table, cols):
        return empty(title, source)
    groups = measure_groups(table)
    label_sets = [[wrap(x) for x in g["label"]] for _, g in groups]
    legend = [patch("white", HATCH, "目标"), patch(DARK, "", "实际完成")]
    fig, axes = bar_panels(label_sets, minimum=0.95, legend=legend)
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
        headroom(ax, vmax, texts, extra=0.16)
        value_axis(ax, labels, measure)
    notes = split_note(groups) + qualifier_notes(table["qualifier"])
    return finish(fig, title, source, notes)


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
            mark(ax, v, y + offset, texts[-1])
        for y, v in zip(ys, values, strict=True):
            if is_missing(v):
                texts.append(missing)
                mark(ax, 0, y + offset, missing, NOTE)
    return texts, vmax, quals
