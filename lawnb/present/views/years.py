"""What the annual report notebook shows of one unit across years: the changes from last
year, last year's targets against this year's results, and indicators over three years or more.

Takes the dataset and the unit-year's :class:`~lawnb.present.views.annual.AnnualView`; gives
Markdown, the tables the charts take (``lawnb.present.charts.years``) and readable Chinese
tables, each computed by ``lawnb.analyse`` (changes, promises, series).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from lawnb.formatting import format_value, format_values
from lawnb.present.display import text
from lawnb.present.views.annual import AnnualView
from lawnb.store.dataset import Dataset

if TYPE_CHECKING:
    from matplotlib.figure import Figure


@dataclass
class Comparison:
    """What the notebook says about one unit-year against the year before."""

    markdown: str
    changes: pd.DataFrame  # for charts.year_on_year: label, previous, current, measure, qualifiers
    table: pd.DataFrame  # readable Chinese table
    chart_note: str = ""  # how many compared indicators the chart leaves to the table


def comparison(dataset: Dataset, view: AnnualView, *, chart_rows: int = 6) -> Comparison:
    """Year-on-year changes of the unit, or a note that the dataset has no earlier year."""
    from lawnb.analyse.changes import NOT_MENTIONED, has_previous_report, year_on_year
    from lawnb.present.narrative import change_sentence

    table = year_on_year(dataset, view.unit, view.year)
    if not has_previous_report(dataset, view.unit, view.year):
        note = f"数据集中没有{text(view.unit)}{view.year - 1}年的报告，暂无法与上年对比。"
        return Comparison(note, table, table)
    both = table[table["status"].isin(["增长", "下降", "持平"])]
    sentences = [
        change_sentence(
            r.label,
            r.previous,
            r.current,
            r.measure,
            r.previous_qualifier,
            r.current_qualifier,
            getattr(r, "previous_wording", None),
            getattr(r, "current_wording", None),
        )
        for r in both.itertuples()
    ]
    new = table[table["status"] == "新增"]["label"].tolist()
    gone = table[table["status"] == NOT_MENTIONED]["label"].tolist()
    lines = [f"与{view.year - 1}年报告相比，{len(both)}项指标两年均有数据："]
    lines += [f"- {text(s)}" for s in sentences]
    if new:
        lines.append(f"\n本年新出现的指标：{text('、'.join(new))}。")
    if gone:
        lines.append(
            f"\n上年报告有、本年报告未提及的指标：{text('、'.join(gone))}（未提及不等于工作停止）。"
        )
    changes = both.rename(
        columns={"previous_qualifier": "prev_qualifier", "current_qualifier": "cur_qualifier"}
    )
    more = len(changes) - chart_rows
    note = f"图中为前{chart_rows}项，其余{more}项见下表。" if more > 0 else ""
    return Comparison("\n".join(lines), changes.head(chart_rows), _change_table(table), note)


def _change_table(table: pd.DataFrame) -> pd.DataFrame:
    def quantities(side: str) -> list[str]:
        wording = table.get(f"{side}_wording", pd.Series([None] * len(table), index=table.index))
        return [
            "—" if pd.isna(v) else format_value(v, m, q or "exact", w)
            for v, m, q, w in zip(
                table[side], table["measure"], table[f"{side}_qualifier"], wording, strict=True
            )
        ]

    readable = pd.DataFrame(
        {
            "指标": table["label"],
            "上年": quantities("previous"),
            "本年": quantities("current"),
            "变化": table["status"],
        }
    )
    readable.index = range(1, len(readable) + 1)
    return readable


@dataclass
class Promises:
    """Last year's targets checked against this year's results."""

    markdown: str
    chart: pd.DataFrame  # for charts.targets_vs_results
    table: pd.DataFrame


def promises(dataset: Dataset, view: AnnualView) -> Promises:
    """The targets of the year before and whether this year's report shows them met."""
    from lawnb.analyse.promises import targets
    from lawnb.present.narrative import target_sentence

    previous_year = view.year - 1
    if previous_year not in dataset.years(view.unit):
        note = (
            f"数据集中没有{text(view.unit)}{previous_year}年的报告，无法核对上年承诺。"
            f"本年报告提出的目标见下一节，供{view.year + 1}年核对。"
        )
        return Promises(note, pd.DataFrame(), pd.DataFrame())
    table = targets(dataset, view.unit, previous_year)
    if table.empty:
        note = f"{text(view.unit)}{previous_year}年报告的下步安排中没有可量化的目标。"
        return Promises(note, table, table)
    counts = table["status"].value_counts()
    summary = "，".join(
        f"{status}{int(counts.get(status, 0))}项" for status in ("已完成", "未完成", "无可比数据")
    )
    lines = [f"{previous_year}年报告提出{len(table)}项可量化目标：{summary}。", ""]
    lines += [
        f"- {text(target_sentence(r.label, r.target, r.target_qualifier, r.result, r.status, r.measure, getattr(r, 'target_wording', None)))}"
        for r in table.itertuples()
    ]
    chart = table.rename(columns={"target_qualifier": "qualifier"})
    readable = pd.DataFrame(
        {
            "目标": table["label"],
            "承诺": format_values(
                table["target"],
                table["measure"],
                table["target_qualifier"],
                table["target_wording"],
            ),
            "实际": [
                "—" if pd.isna(v) else format_value(v, m, q or "exact")
                for v, m, q in zip(
                    table["result"], table["measure"], table["result_qualifier"], strict=True
                )
            ],
            "状态": table["status"],
        }
    )
    readable.index = range(1, len(readable) + 1)
    return Promises("\n".join(lines), chart, readable)


def trend_section(dataset: Dataset, view: AnnualView, *, limit: int = 4) -> list[object]:
    """Indicators over three or more years up to this one: a sentence, a chart and a note; an
    empty list when the dataset has fewer years of the unit. At most ``limit`` indicators,
    those reported in the most years first."""
    from lawnb.analyse.series import trends
    from lawnb.present.charts.years import trend

    years = [y for y in dataset.years(view.unit) if y <= view.year]
    if len(years) < 3:
        return []
    table = trends(dataset, view.unit, years=years)
    if table.empty:
        return []
    present = table.groupby(["key", "measure"], observed=True)["value"].count()
    present = present[present >= 3]
    if present.empty:
        return []
    # One measure per chart (the one most indicators share): lines on one axis compare.
    measure = present.index.get_level_values("measure").value_counts().index[0]
    same = present[present.index.get_level_values("measure") == measure]
    keep = same.sort_values(ascending=False).head(limit).index
    chosen = table.set_index(["key", "measure"]).loc[list(keep)].reset_index()
    if chosen.empty:
        return []
    more = len(present) - len(keep)
    chart = trend(chosen, source=view.source)
    note = f"另有{more}项指标也有三年以上数据，图中未画出。" if more > 0 else ""
    return [f"{years[0]}—{years[-1]}年报告中连续出现的指标：", chart, note]


def comparison_figure(result: Comparison, view: AnnualView) -> Figure | None:
    """The year-on-year chart, or None when there is nothing to compare."""
    from lawnb.present.charts.years import year_on_year

    return None if result.changes.empty else year_on_year(result.changes, source=view.source)


def promises_figure(result: Promises, view: AnnualView) -> Figure | None:
    """The targets-against-results chart, or None when there are no targets to check."""
    from lawnb.present.charts.years import targets_vs_results

    return None if result.chart.empty else targets_vs_results(result.chart, source=view.source)
