"""The charts of one unit-year's report: its figures by dimension, a group of figures as
bars, and the parts of a whole.

Each function takes the report's facts (or the coverage table of ``lawnb.present.views``) and
returns a :class:`matplotlib.figure.Figure` in the house style
(``lawnb.present.charts.style``); empty input gives the 无数据 figure.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import TYPE_CHECKING

from lawnb.formatting import format_number, format_percent, is_missing, short_value
from lawnb.present.charts.bars import (
    DERIVED_STYLE,
    KIND_STYLE,
    bar_label,
    bar_panels,
    bar_style,
    headroom,
    mark,
    patch,
    value_axis,
)
from lawnb.present.charts.style import (
    DARK,
    INK,
    NOTE,
    chart,
    empty,
    finish,
    is_empty,
    measure_groups,
    qualifier_notes,
    records,
    split_note,
    wrap,
)
from lawnb.present.narrative import fact_label
from lawnb.schema import DIMENSIONS

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure


@chart
def by_dimension(facts: pd.DataFrame, *, source: str | None = None) -> Figure:
    """Number of facts per dimension of one report, as horizontal bars.

    Dimensions follow :data:`lawnb.schema.DIMENSIONS`; a dimension without facts is shown
    as 无数据 (no bar), facts without a known dimension as 未归类.
    """
    who = "" if facts is None else _describe(facts)
    title = f"{who}报告各维度量化指标数" if who else "各维度量化指标数"
    if is_empty(facts, ["dimension"]):
        return empty(title, source)
    dims = facts["dimension"]
    rows = [(name, int((dims == code).sum())) for code, name in DIMENSIONS.items()]
    other = int((~dims.isin(list(DIMENSIONS))).sum())
    if other:
        rows.append(("未归类", other))
    fig, (ax,) = bar_panels([[name for name, _ in rows]])
    vmax = 0
    for y, (_, n) in enumerate(rows):
        if n > 0:
            ax.barh(y, n, color=DARK, height=0.62)
            mark(ax, n, y, str(n))
            vmax = max(vmax, n)
        else:
            mark(ax, 0, y, "无数据", NOTE)
    headroom(ax, vmax, ["无数据", str(vmax)])
    value_axis(ax, [name for name, _ in rows], "")
    ax.set_xlabel("量化指标数（项）")
    return finish(fig, title, source, [f"共{len(facts)}项量化指标。"])


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


@chart
def dimension_coverage(
    table: pd.DataFrame, *, title: str, source: str | None = None, notes: Iterable[str] = ()
) -> Figure:
    """What a report covers: per dimension, the figures given and the sections addressing it.

    ``table`` has columns 维度, 章节数, 数据项数 (one row per dimension, in order). A bar per
    dimension for its figures, labelled ``3项·2节``; a dimension with sections but no figure
    reads ``0项·2节``, one the report does not address 未涉及, never a zero bar.
    """
    if is_empty(table, ["维度", "章节数", "数据项数"]):
        return empty(title, source)
    labels = [str(name) for name in table["维度"]]
    fig, (ax,) = bar_panels([labels])
    vmax, marks = 0, []
    for y, row in enumerate(records(table)):
        sections, figures = int(row["章节数"]), int(row["数据项数"])
        if sections == 0 and figures == 0:
            marks.append("未涉及")
            mark(ax, 0, y, "未涉及", NOTE)
            continue
        label = f"{figures}项·{sections}节"
        marks.append(label)
        if figures:
            ax.barh(y, figures, height=0.62, color=DARK)
            vmax = max(vmax, figures)
        mark(ax, figures, y, label, INK if figures else NOTE)
    headroom(ax, vmax, marks)
    value_axis(ax, labels, "")
    ax.set_xlabel("报告的数据项数（项）")
    return finish(
        fig, title, source, ["“3项·2节”：报告给出3项数据，有2节（章节）写到这一方面。", *notes]
    )


@chart
def indicator_bars(facts: pd.DataFrame, *, title: str, source: str | None = None) -> Figure:
    """A chosen group of facts as horizontal bars labelled by subject, values on the bars.

    Values keep their qualifier (约800, ≥8, ≤5). Rows of different measures go into one
    panel per measure, each with its own value axis naming the measure. Bars differ by
    kind (targets hatched); derived values are cross-hatched and marked 推算.
    """
    if is_empty(facts, ["value", "measure"]):
        return empty(title, source)
    rows = facts[facts["value"].notna()]
    if len(rows) == 0:
        return empty(title, source)
    groups = measure_groups(rows)
    label_sets = [[wrap(bar_label(r)) for r in records(g)] for _, g in groups]
    styles = list(dict.fromkeys(bar_style(r) for r in records(rows)))
    legend = [patch(*style) for style in styles] if len(styles) > 1 else None
    fig, axes = bar_panels(label_sets, legend=legend)
    for ax, (measure, group), labels in zip(axes, groups, label_sets, strict=True):
        texts = []
        for y, row in enumerate(records(group)):
            face, hatch, name = bar_style(row)
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
            mark(ax, max(v, 0.0), y, texts[-1])
        headroom(ax, float(group["value"].max()), texts)
        value_axis(ax, labels, measure)
    notes = split_note(groups)
    if DERIVED_STYLE in styles:
        notes.append("交叉线为推算值：由报告中的总数和各部分推算，报告未直接给出。")
    notes += qualifier_notes(rows["qualifier"] if "qualifier" in rows.columns else [])
    return finish(fig, title, source, notes)


@chart
def composition(facts: pd.DataFrame, *, of: str, source: str | None = None) -> Figure:
    """The parts of a whole (``kind == "composition"`` rows whose ``of`` is ``of``).

    One bar per part with its count and its share of the whole. The whole is the
    non-composition fact whose subject is ``of`` when there is one, else the sum of the
    parts. A derived remainder (origin ``derived``) is cross-hatched and marked 推算.
    """
    title = f"{of}构成"
    if is_empty(facts, ["value", "kind", "of"]):
        return empty(title, source)
    parts = facts[(facts["kind"] == "composition") & (facts["of"] == of) & facts["value"].notna()]
    if len(parts) == 0:
        return empty(title, source)
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
    labels = [wrap(bar_label(r)) for r in records(parts)]
    fig, (ax,) = bar_panels([labels])
    texts, derived = [], []
    for y, row in enumerate(records(parts)):
        v = float(row["value"])
        share = f"（{format_percent(v / whole * 100)}）" if whole else ""
        texts.append(f"{short_value(v, row.get('qualifier'))}{measure}{share}")
        is_derived = row.get("origin") == "derived"
        if is_derived:
            derived.append(fact_label(row))
        face, hatch, _ = DERIVED_STYLE if is_derived else KIND_STYLE["achievement"]
        ax.barh(y, v, height=0.62, color=face, edgecolor=DARK, hatch=hatch, linewidth=0.8)
        mark(ax, v, y, texts[-1])
    headroom(ax, float(parts["value"].max()), texts)
    value_axis(ax, labels, measure)
    if derived:
        notes.append(f"推算：{'、'.join(derived)}由总数减去报告列明的各部分得出，报告未直接给出。")
    title = f"{of}构成（共{format_number(whole)}{measure}）"
    return finish(fig, title, source, notes)


def _whole(facts: pd.DataFrame, of: str, measure: str) -> float | None:
    """The value of the whole a composition is a part of, when the facts state it."""
    if "subject" not in facts.columns:
        return None
    rows = facts[(facts["subject"] == of) & (facts["kind"] != "composition")]
    rows = rows[rows["value"].notna()]
    if "measure" in rows.columns and measure:
        rows = rows[rows["measure"] == measure]
    return float(rows["value"].iloc[0]) if len(rows) else None
