"""The views of one unit-year (``lawnb.present.views.annual``) on a small hand-made dataset.

All units, sections and figures are fictional.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from factories import dataset, fact, report, section
from matplotlib.figure import Figure

from lawnb.bundled import bundled_path
from lawnb.present import views
from lawnb.present.sources import FICTIONAL_NOTE, is_fictional, source_line
from lawnb.store.loading import load_dataset

IN_FUNCTIONS = {"section": "一、/（一）", "part": "measures"}
IN_SOCIETY = {"section": "一、/（二）", "part": "measures", "dimension": "society"}
IN_ENFORCEMENT = {"section": "一、/（三）", "part": "measures", "dimension": "enforcement"}


def unit_facts() -> list[dict]:
    return [
        fact(
            "检查企业",
            412,
            "家次",
            sentence="全年检查企业412家次，下达整改通知书30份。",
            **IN_FUNCTIONS,
        ),
        fact("复查企业", 96, "家次", **IN_FUNCTIONS),
        fact("排查隐患", 1250, "条", **IN_FUNCTIONS),
        fact("培训法律明白人", 600, "名", "approx", wording="余", **IN_SOCIETY),
        fact("执法队伍", 40, "人", kind="status", **IN_ENFORCEMENT),
        fact("本科", 12, "人", kind="composition", of="执法队伍", **IN_ENFORCEMENT),
        fact(
            "其他学历",
            28,
            "人",
            kind="composition",
            of="执法队伍",
            origin="derived",
            **IN_ENFORCEMENT,
        ),
        fact(
            "开展法治讲座",
            8,
            "次",
            "at_least",
            kind="target",
            dimension="society",
            section="三、",
            part="next_steps",
        ),
        fact("依**法", 3, "件", dimension=None),
        fact("检查", 5, "家次", review="subject", **IN_FUNCTIONS),
    ]


def unit_sections() -> list[dict]:
    return [
        section("一、", "主要举措和成效"),
        section("一、/（一）", "依法全面履行政府职能", dimension="functions"),
        section("一、/（二）", "推进法治社会建设", dimension="society"),
        section("一、/（三）", "严格规范执法", dimension="enforcement"),
        section("二、", "履行第一责任人职责情况", "first_responsible"),
        section("三、", "下一年度工作安排：", "next_steps"),
    ]


@pytest.fixture
def view() -> views.AnnualView:
    return views.annual_view(dataset(unit_facts(), unit_sections()), "青石镇", 2023)


@pytest.fixture
def bare() -> views.AnnualView:
    """A unit-year whose report has measures only, and no figure."""
    return views.annual_view(dataset([], [section("一、", "主要举措和成效")]), "青石镇", 2023)


# --------------------------------------------------------------------------- the view


def test_annual_view_holds_the_unit_year(view):
    assert (view.unit, view.year, view.district) == ("青石镇", 2023, "虚构区")
    assert view.title == "虚构区青石镇2023年度法治政府建设情况报告"
    assert len(view.facts) == 10 and len(view.sections) == 6
    assert not view.demo and view.metadata_note == ""
    assert view.source == "数据来源：青石镇2023年度法治政府建设情况报告"


def test_a_report_without_a_title_gets_the_usual_one():
    ds = dataset(reports=[report(title=None, district=None)])
    view = views.annual_view(ds, "青石镇", 2023)
    assert view.title == "青石镇2023年度法治政府建设情况报告" and view.district == ""


def test_guessed_metadata_is_said_under_the_heading():
    row = report(guessed="unit year", meta_source="unit=opening year=opening")
    view = views.annual_view(dataset(reports=[row]), "青石镇", 2023)
    assert view.metadata_note == "本报告的单位、年度是从正文推测的，尚未核对。"
    assert f"> {view.metadata_note}" in views.heading_md(view)


@pytest.mark.parametrize(
    ("manifest", "path", "fictional"),
    [
        ({"fictional": True}, None, True),
        ({"fictional": False}, bundled_path("demo"), False),  # the manifest says
        ({}, bundled_path("demo"), False),  # only the manifest says: not the folder
        ({}, bundled_path("sample"), False),
        ({}, Path("/nonexistent/示例区"), False),
        ({}, None, False),
    ],
)
def test_is_fictional_goes_by_the_dataset(manifest, path, fictional):
    assert is_fictional(dataset(path=path, manifest=manifest)) is fictional


def test_the_bundled_demo_is_marked_fictional_in_its_manifest_and_the_sample_is_not():
    assert is_fictional(load_dataset("demo")) and not is_fictional(load_dataset("sample"))


def test_a_fictional_dataset_makes_a_fictional_page():
    ds = dataset(unit_facts(), manifest={"fictional": True})
    view = views.annual_view(ds, "青石镇", 2023)
    assert view.demo
    assert view.source == source_line("青石镇", 2023, demo=True)
    assert view.source.endswith("（虚构示例数据）")
    assert views.heading_md(view).endswith(f"> {FICTIONAL_NOTE}")


def test_the_district_name_does_not_make_a_page_fictional():
    ds = dataset([fact("检查企业", 3, "家次", district="示例区")])
    view = views.annual_view(ds, "青石镇", 2023)
    assert not view.demo and FICTIONAL_NOTE not in views.heading_md(view)


# --------------------------------------------------------------------------- text and tables


def test_text_is_never_markup():
    assert views.text("依**法**<b>") == r"依\*\*法\*\*&lt;b&gt;"
    assert views.text(2023) == "2023"


def test_figures_table_in_chinese(view):
    table = views.figures_table(view.facts)
    assert list(table.columns) == ["章节", "维度", "事项", "数值", "类型", "来源", "待核", "原文"]
    assert list(table.index) == list(range(1, 11))
    first = table.loc[1]
    assert (first["维度"], first["数值"], first["类型"], first["来源"]) == (
        "政府职能",
        "412家次",
        "成效",
        "报告摘录",
    )
    assert first["原文"] == "全年检查企业<mark>412家次</mark>，下达整改通知书30份。"
    assert table.loc[4, "数值"] == "600余名"  # the report's own qualifier word
    assert table.loc[7, "来源"] == "推算" and table.loc[8, "类型"] == "目标"
    assert table.loc[9, "章节"] == "（导语）" and table.loc[9, "维度"] == "—"
    assert table.loc[10, "待核"] == "事项待核" and table.loc[1, "待核"] == ""


def test_figures_table_of_no_facts_has_the_columns_only(bare):
    table = views.figures_table(bare.facts)
    assert table.empty and list(table.columns) == ["章节", "维度", "事项", "数值", "类型", "来源"]


def test_for_display_leaves_out_facts_awaiting_a_check(view):
    shown = views.for_display(view.facts)
    assert len(shown) == 9 and "检查" not in set(shown["subject"])
    no_column = view.facts.drop(columns="review")
    assert views.for_display(no_column) is no_column


def test_review_box(view, bare):
    box = views.review_md(view)
    assert box.startswith("> **待核**")
    assert "事项“检查”（5家次，一、/（一））未能从原文读成完整的词" in box
    assert views.review_md(bare) == ""


def test_table_or_none():
    assert views.table_or_none(pd.DataFrame()) is None
    table = pd.DataFrame({"a": [1]})
    assert views.table_or_none(table) is table


# --------------------------------------------------------------------------- parts


def test_part_outline_and_missing_parts(view):
    outline = views.part_outline(view)
    assert list(outline) == ["measures", "first_responsible", "next_steps"]
    assert list(outline["measures"]["path"]) == [
        "一、",
        "一、/（一）",
        "一、/（二）",
        "一、/（三）",
    ]
    assert views.parts_missing(view) == ["存在的不足及原因"]  # 其他事项 may be left out


def test_parts_md_lists_sections_with_their_figures(view):
    md = views.parts_md(view)
    assert md.startswith("### 1. 主要举措和成效")
    assert "### 2. 履行推进法治建设第一责任人职责" in md
    assert "  - （二）推进法治社会建设：培训法律明白人 600余名" in md
    assert "- 三、下一年度工作安排：开展法治讲座 不少于8次" in md  # the title's colon dropped
    assert md.endswith("> 报告缺少法定内容：存在的不足及原因。")


def test_a_section_of_another_part_than_its_parent_starts_its_own_outline():
    sections = [
        section("一、", "工作开展情况"),
        section("一、/（一）", "落实推进机制"),
        section("一、/（一）/1.", "落实第一责任人责任", "first_responsible"),
    ]
    md = views.parts_md(views.annual_view(dataset([], sections), "青石镇", 2023))
    assert "\n- 1.落实第一责任人责任" in md  # at the top of its part, not a code block
    assert "\n  - （一）落实推进机制" in md and "    -" not in md


# --------------------------------------------------------------------------- figures to chart


def test_chart_groups_share_a_dimension_and_a_measure(view):
    groups = views.chart_groups(view.facts)
    assert [(title, list(rows["subject"])) for title, rows in groups] == [
        ("政府职能（家次）", ["检查企业", "复查企业"])  # 检查 awaits a check; 排查隐患 alone
    ]
    assert views.chart_groups(view.facts, limit=1)[0][1]["subject"].tolist() == ["检查企业"]
    assert views.chart_groups(view.facts, groups=0) == []


def test_compositions(view, bare):
    assert views.compositions(view.facts) == ["执法队伍"]
    assert views.compositions(bare.facts) == []


def test_charts_note_says_why_there_is_no_chart(view, bare):
    assert views.charts_note(views.chart_groups(view.facts), view) == ""
    assert views.charts_note([], bare) == "报告中没有提取到量化数据，没有可画的图。"
    lone = views.annual_view(dataset([fact("检查企业", 3, "家次")]), "青石镇", 2023)
    assert views.charts_note([], lone).startswith("报告中没有两项以上同一维度、同一计量单位")


def test_coverage_table_counts_sections_and_figures(view):
    table = views.coverage_table(view)
    assert list(table.columns) == ["维度", "章节数", "数据项数"] and len(table) == 10
    rows = table.set_index("维度")
    assert rows.loc["政府职能"].tolist() == [1, 4]  # 检查 awaiting a check counts too
    assert rows.loc["行政执法"].tolist() == [1, 3]
    assert rows.loc["法治社会"].tolist() == [1, 2]
    assert table["数据项数"].sum() == len(view.facts) - 1  # one fact without a dimension


def test_coverage_figure(view):
    figure = views.coverage_figure(view)
    assert isinstance(figure, Figure)
    texts = " ".join(t.get_text() for t in figure.texts)
    assert "数据项共10项，含由总数推算的1项，另有1项未能归入维度。" in texts
    assert view.source in texts


# --------------------------------------------------------------------------- targets and text


def test_targets_and_the_targets_section(view, bare):
    table = views.targets(view.facts)
    assert list(table.columns) == ["章节", "事项", "数值"]
    assert table.loc[1].tolist() == ["三、", "开展法治讲座", "不少于8次"]
    assert views.targets_section(view).equals(table)
    assert "没有“下一年度工作安排”部分" in views.targets_section(bare)
    plans = views.annual_view(
        dataset([], [section("三、", "下一年度工作安排", "next_steps")]), "青石镇", 2023
    )
    assert "下一年度工作安排中没有可量化的目标" in views.targets_section(plans)


def test_figures_section(view, bare):
    assert isinstance(views.figures_section(view), pd.DataFrame)
    assert views.figures_section(bare) == "报告中没有提取到量化数据。"


def test_heading_md(view):
    lines = views.heading_md(view).split("\n")
    assert lines[0] == "# 青石镇2023年度法治政府建设情况分析"
    assert lines[2] == (
        "**单位**：虚构区 青石镇　**年度**：2023　**原报告**：《虚构区青石镇2023年度法治政府建设情况报告》"
    )
    assert len(lines) == 3  # nothing guessed, not fictional


def test_headline_and_dimension_paragraphs_are_escaped(view, bare):
    headline = views.headline_md(view)
    assert headline.startswith("2023年，青石镇报告中共有10项量化指标，其中工作成效6项")
    assert "检查5家次" not in headline  # awaiting a check: not a headline figure
    paragraphs = views.dimension_md(view.facts)
    assert paragraphs.split("\n\n")[0] == (
        "政府职能方面，检查企业412家次、复查企业96家次、排查隐患1250条、检查5家次。"
    )
    assert "执法队伍构成：本科12人、其他学历28人（推算）" in paragraphs
    assert paragraphs.endswith(r"未归类指标方面，依\*\*法3件。")
    assert views.dimension_md(bare.facts) == "报告中没有可归入各维度的量化数据。"
