"""lawnb.analyse.district_tables: the units of the demo district 示例区 side by side.

Every expected figure below was read by hand from lawnb/data/demo_reports/*.txt (the report
sentence is quoted next to it), not from the dataset the code reads.
"""

from __future__ import annotations

import dataclasses

import pandas as pd

from lawnb.analyse.district_tables import district
from lawnb.analyse.matching import key_label

try:
    from .comparison_helpers import with_facts
except ImportError:  # pragma: no cover
    from comparison_helpers import with_facts


def test_district_2022(demo):
    tables = district(demo, 2022)
    assert set(tables) == {"coverage", "sections", "parts", "key_indicators", "note"}
    coverage, sections, parts = tables["coverage"], tables["sections"], tables["parts"]
    assert coverage.index.tolist() == ["东湖镇", "北城街道", "南岭乡", "西山镇"]
    assert coverage.columns.tolist() == [
        "functions",
        "rules",
        "decisions",
        "enforcement",
        "emergencies",
        "disputes",
        "oversight",
        "digital",
        "leadership",
        "society",
    ]
    # 东湖镇 2022 disputes: 调解矛盾纠纷138件, 调解成功率97.1%, 行政复议1件, 行政应诉2件,
    # 出庭应诉率100%, and the target 调解成功率98%以上 = 6.
    assert coverage.loc["东湖镇", "disputes"] == 6
    # Leadership: only "党委理论学习中心组学法12次".
    assert coverage.loc["东湖镇", "leadership"] == 1
    # No section and no figure on 科技保障: NaN, not 0.
    assert pd.isna(coverage.loc["东湖镇", "digital"]) and pd.isna(coverage.loc["西山镇", "digital"])
    # 北城街道 has no 突发事件应对 section, but "核酸采样点28个" is epidemic control.
    assert coverage.loc["北城街道", "emergencies"] == 1
    # Sections: 北城街道 "一、履行…第一责任人职责情况" with its two subsections.
    assert sections.loc["北城街道", "leadership"] == 3
    assert sections.loc["东湖镇", "functions"] == 1 and sections.loc["东湖镇", "digital"] == 0
    # Every 2022 report has the four written parts and no "其他事项".
    for part in ("measures", "shortcomings", "first_responsible", "next_steps"):
        assert parts[part].all()
    assert not parts["other"].any()

    key = tables["key_indicators"]
    assert key.columns.names == ["indicator", "field"]
    assert key.loc["东湖镇", ("society.leaflets", "value")] == 6200  # "发放宣传资料6,200余份"
    assert key.loc["东湖镇", ("society.leaflets", "qualifier")] == "approx"
    assert key.loc["南岭乡", ("society.leaflets", "value")] == 3400  # "发放宣传资料3,400份"
    assert key.loc["西山镇", ("society.people_reached", "value")] == 3500  # "受教育群众3,500人次"
    assert pd.isna(key.loc["北城街道", ("society.leaflets", "value")])
    ids = key.columns.get_level_values("indicator")
    assert "emergencies.drills" not in ids  # only 西山镇 reports 应急演练 in 2022
    # 东湖镇 "检查企业136家次" and 南岭乡 "检查经营主体92家次" are the same catalogued indicator.
    assert key.loc["东湖镇", ("functions.enterprise_inspections", "value")] == 136
    assert key.loc["南岭乡", ("functions.enterprise_inspections", "value")] == 92
    values = key.xs("value", axis=1, level="field")
    assert (values.dtypes == "float64").all()
    assert key_label("society.leaflets", "indicator") == "发放宣传资料"

    assert "不是排名" in tables["note"] and "规模" in tables["note"]


def test_district_zero_when_sections_but_no_facts(demo):
    facts = demo.facts
    drop = (facts["report_id"] == "示例区/东湖镇/2022") & (facts["dimension"] == "functions")
    tables = district(with_facts(demo, facts[~drop]), 2022)
    assert tables["coverage"].loc["东湖镇", "functions"] == 0  # "（一）依法全面履行政府职能" stays


def test_district_unit_without_report(demo):
    reports = demo.reports[demo.reports["report_id"] != "示例区/西山镇/2022"]
    tables = district(dataclasses.replace(demo, reports=reports), 2022)
    assert tables["coverage"].loc["西山镇"].isna().all()
    assert tables["parts"].loc["西山镇"].isna().all()
    assert "西山镇没有2022年的报告" in tables["note"]
