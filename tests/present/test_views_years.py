"""The views of one unit across years (``lawnb.present.views.years``) on a hand-made dataset.

青石镇 reports for 2021, 2022 and 2023; every figure carries a catalogue id, so the years are
matched by id. All units and figures are fictional.
"""

from __future__ import annotations

import pytest
from factories import dataset, fact, section
from matplotlib.figure import Figure

from lawnb.present import views

MEASURES = {"section": "一、", "part": "measures"}


def year_facts(year: int, inspections: float, mediated: float) -> list[dict]:
    return [
        fact(
            "检查企业", inspections, "家次", indicator="functions.enterprise_inspections",
            year=year, **MEASURES,
        ),
        fact(
            "调解矛盾纠纷", mediated, "件", dimension="disputes", indicator="disputes.mediated",
            year=year, **MEASURES,
        ),
    ]  # fmt: skip


def disclosed(year: int, value: float) -> dict:
    return fact(
        "公开政府信息", value, "条", dimension="oversight",
        indicator="oversight.items_disclosed", year=year, **MEASURES,
    )  # fmt: skip


def publicity(year: int, value: float, **more) -> dict:  # type: ignore[no-untyped-def]
    return fact(
        "普法宣传活动", value, "次", dimension="society", indicator="society.publicity_events",
        year=year, **{**MEASURES, **more},
    )  # fmt: skip


def sections(year: int) -> list[dict]:
    return [
        section("一、", "主要举措和成效", year=year),
        section("三、", "下一年度工作安排", "next_steps", year=year),
    ]


@pytest.fixture(scope="module")
def ds():  # type: ignore[no-untyped-def]
    facts = [
        *year_facts(2021, 100, 60),
        disclosed(2021, 500),
        *year_facts(2022, 120, 61),
        disclosed(2022, 300),
        publicity(
            2022, 10, qualifier="at_least", kind="target", wording="不少于",
            section="三、", part="next_steps",
        ),
        *year_facts(2023, 150, 62),
        publicity(2023, 12),
        fact(
            "执法人员培训", 2, "次", dimension="enforcement",
            indicator="enforcement.staff_training", **MEASURES,
        ),
    ]  # fmt: skip
    return dataset(facts, [*sections(2021), *sections(2022), *sections(2023)])


def view(ds, year: int) -> views.AnnualView:  # type: ignore[no-untyped-def]
    return views.annual_view(ds, "青石镇", year)


# --------------------------------------------------------------------------- year on year


def test_comparison_with_last_year(ds):
    result = views.comparison(ds, view(ds, 2023))
    lines = result.markdown.split("\n")
    assert lines[:3] == [
        "与2022年报告相比，2项指标两年均有数据：",
        "- 检查企业为150家次，上年为120家次，增长25%。",
        "- 调解矛盾纠纷为62件，上年为61件，增长1.6%。",
    ]
    assert "本年新出现的指标：普法宣传活动、执法人员培训。" in result.markdown
    assert (
        "上年报告有、本年报告未提及的指标：公开政府信息（未提及不等于工作停止）。"
        in result.markdown
    )
    assert list(result.changes["label"]) == ["检查企业", "调解矛盾纠纷"]
    assert {"prev_qualifier", "cur_qualifier"} <= set(result.changes.columns)  # as the chart takes
    assert list(result.table.columns) == ["指标", "上年", "本年", "变化"]
    assert result.table.loc[1].tolist() == ["检查企业", "120家次", "150家次", "增长"]
    assert result.table.loc[3].tolist() == ["普法宣传活动", "—", "12次", "新增"]
    assert result.chart_note == ""


def test_comparison_leaves_rows_beyond_the_chart_to_the_table(ds):
    result = views.comparison(ds, view(ds, 2023), chart_rows=1)
    assert len(result.changes) == 1
    assert result.chart_note == "图中为前1项，其余1项见下表。"


def test_comparison_without_last_years_report(ds):
    first = view(ds, 2021)
    result = views.comparison(ds, first)
    assert result.markdown == "数据集中没有青石镇2020年的报告，暂无法与上年对比。"
    assert result.changes.empty and result.table.empty
    assert views.comparison_figure(result, first) is None


def test_comparison_figure(ds):
    this = view(ds, 2023)
    figure = views.comparison_figure(views.comparison(ds, this), this)
    assert isinstance(figure, Figure)
    assert any(t.get_text().endswith(this.source) for t in figure.texts)


# --------------------------------------------------------------------------- promises


def test_promises_check_last_years_targets(ds):
    this = view(ds, 2023)
    kept = views.promises(ds, this)
    assert kept.markdown == (
        "2022年报告提出1项可量化目标：已完成1项，未完成0项，无可比数据0项。\n\n"
        "- 普法宣传活动：目标不少于10次，实际12次，已完成。"
    )
    assert "qualifier" in kept.chart.columns  # as charts.targets_vs_results takes it
    assert list(kept.table.columns) == ["目标", "承诺", "实际", "状态"]
    assert kept.table.loc[1].tolist() == ["普法宣传活动", "不少于10次", "12次", "已完成"]
    assert isinstance(views.promises_figure(kept, this), Figure)


def test_promises_without_last_years_report_or_targets(ds):
    first = views.promises(ds, view(ds, 2021))
    assert first.markdown == (
        "数据集中没有青石镇2020年的报告，无法核对上年承诺。本年报告提出的目标见下一节，供2022年核对。"
    )
    assert first.chart.empty and first.table.empty
    assert views.promises_figure(first, view(ds, 2021)) is None
    second = views.promises(ds, view(ds, 2022))
    assert second.markdown == "青石镇2021年报告的下步安排中没有可量化的目标。"
    assert second.table.empty


# --------------------------------------------------------------------------- trends


def test_trend_section_over_three_years(ds):
    sentence, figure, note = views.trend_section(ds, view(ds, 2023))
    assert sentence == "2021—2023年报告中连续出现的指标："
    assert isinstance(figure, Figure)
    assert note == "另有1项指标也有三年以上数据，图中未画出。"  # one measure per chart
    (line,) = figure.axes[0].get_lines()
    assert line.get_label() in ("检查企业", "调解矛盾纠纷")


def test_trend_section_needs_three_years(ds):
    assert views.trend_section(ds, view(ds, 2022)) == []
