"""The district overview's views and the structure findings (``lawnb.present.views.district``,
``lawnb.present.views.findings``) on a small hand-made dataset.

虚构区 has a town, a subdistrict without the part 存在的不足及原因, and a department that
counts in another measure; 别区 has one town. All units and figures are fictional.
"""

from __future__ import annotations

import pandas as pd
import pytest
from factories import dataset, fact, report, section

from lawnb.present import views
from lawnb.present.sources import FICTIONAL_NOTE

INSPECTIONS = {"indicator": "functions.enterprise_inspections", "section": "一、/（一）"}


def unit_sections(unit: str, district: str = "虚构区", *, shortcomings: bool = True) -> list[dict]:
    where = {"unit": unit, "district": district}
    rows = [
        section("一、", "主要举措和成效", **where),
        section("一、/（一）", "依法全面履行政府职能", dimension="functions", **where),
        section("二、", "履行第一责任人职责情况", "first_responsible", **where),
        section("三、", "下一年度工作安排", "next_steps", **where),
    ]
    if shortcomings:
        rows.append(section("四、", "存在的不足", "shortcomings", **where))
    return rows


def district_dataset(**options):  # type: ignore[no-untyped-def]
    facts = [
        fact("检查企业", 40, "家次", unit="青石镇", part="measures", **INSPECTIONS),
        fact("检查企业", 30, "家次", unit="柳岸街道", part="measures", **INSPECTIONS),
        fact("检查企业", 5, "次", unit="虚构区司法局", part="measures", **INSPECTIONS),
        fact("检查企业", 9, "家次", unit="石门镇", district="别区", part="measures", **INSPECTIONS),
    ]
    sections = [
        *unit_sections("青石镇"),
        *unit_sections("柳岸街道", shortcomings=False),
        *unit_sections("虚构区司法局"),
        *unit_sections("石门镇", "别区"),
    ]
    reports = [
        report("青石镇"),
        report("柳岸街道", level="subdistrict"),
        report("虚构区司法局", level="department"),
        report("石门镇", district="别区"),
    ]
    return dataset(facts, sections, reports, **options)


@pytest.fixture(scope="module")
def ds():  # type: ignore[no-untyped-def]
    return district_dataset()


@pytest.fixture(scope="module")
def overview(ds) -> views.DistrictView:  # type: ignore[no-untyped-def]
    return views.district_view(ds, 2023, "虚构区")


def test_district_view_groups_its_units(overview):
    assert (overview.district, overview.year) == ("虚构区", 2023)
    assert overview.units == ["柳岸街道", "青石镇", "虚构区司法局"]  # towns first, by name
    assert overview.groups == {
        "乡镇（街道）": ["柳岸街道", "青石镇"],
        "区县政府和部门": ["虚构区司法局"],
    }
    assert list(overview.tables["parts"].index) == overview.units
    assert "石门镇" not in str(overview.tables)
    assert not overview.demo
    assert overview.source == "数据来源：虚构区各单位2023年度法治政府建设情况报告"


def test_district_view_of_the_whole_dataset(ds):
    whole = views.district_view(ds, 2023)
    assert whole.district == "别区、虚构区"
    assert set(whole.units) == {"柳岸街道", "青石镇", "石门镇", "虚构区司法局"}


def test_a_fictional_dataset_makes_a_fictional_overview():
    overview = views.district_view(district_dataset(manifest={"fictional": True}), 2023, "虚构区")
    assert overview.demo
    assert overview.source.endswith("（虚构示例数据）")
    assert views.district_heading_md(overview).endswith(f"> {FICTIONAL_NOTE}")


def test_district_heading_md(overview):
    md = views.district_heading_md(overview)
    assert md.startswith("# 虚构区2023年度法治政府建设情况汇总\n\n**年度**：2023　**单位**：3个")
    assert "- 乡镇（街道）：柳岸街道、青石镇" in md and "- 区县政府和部门：虚构区司法局" in md
    assert md.endswith("> 区县政府和部门的报告与乡镇（街道）的报告分开列出，不作同类比较。")


def test_parts_missing_md(overview, ds):
    assert views.parts_missing_md(overview) == "- 柳岸街道：缺少存在的不足及原因"
    complete = views.district_view(ds, 2023, "别区")
    assert views.parts_missing_md(complete) == (
        "各单位报告均包含法定的四个主要部分（“其他事项”可不单列）。"
    )


def test_key_indicators_compare_like_measures_only(overview, ds):
    table = views.key_indicators_table(overview)
    assert table.index.name == "指标" and list(table.index) == ["检查企业"]
    assert table.loc["检查企业"].to_dict() == {
        "柳岸街道": "30家次",
        "青石镇": "40家次",
        "虚构区司法局": "（5次，单位不同）",
        "报告单位数": "2个",
    }
    alone = views.district_view(ds, 2023, "别区")
    assert views.key_indicators_table(alone).startswith("参与比较的单位不足两个")


def test_district_note_md(overview):
    note = views.district_note_md(overview)
    assert note.startswith("> ") and "不是排名" in note


# --------------------------------------------------------------------------- findings


def test_findings_of_one_report(ds):
    found = views.findings(ds, "柳岸街道", 2023)
    assert {"severity", "message"} <= set(found.columns)
    assert "missing_part" in set(found["code"])
    md = views.findings_md(found)
    assert md.startswith("- **问题**：缺少“存在的不足及原因”部分")
    assert all(line.startswith("- **") for line in md.split("\n"))


def test_findings_md_without_findings():
    assert views.findings_md(pd.DataFrame(columns=["severity", "message"])).startswith(
        "未发现结构问题"
    )


def test_district_findings_count_per_unit(ds, overview):
    table = views.district_findings(ds, overview)
    assert table.index.name == "单位" and list(table.index) == overview.units
    assert list(table.columns) == ["问题", "提示", "主要问题"]
    assert table.loc["柳岸街道", "问题"] == 1
    assert table.loc["柳岸街道", "主要问题"].startswith("缺少“存在的不足及原因”部分")
    assert table.loc["青石镇", "问题"] == 0 and table.loc["青石镇", "主要问题"] == "—"
