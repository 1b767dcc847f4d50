"""lawnb.analyse.changes: year on year and how the years matched, on the demo district 示例区.

Every expected figure below was read by hand from lawnb/data/demo_reports/*.txt (the report
sentence is quoted next to it), not from the dataset the code reads.
"""

from __future__ import annotations

import pandas as pd
import pytest

from lawnb.analyse.changes import (
    CHANGE_STATUSES,
    MATCH_SHARE_COLUMNS,
    NOT_MENTIONED,
    YOY_COLUMNS,
    has_previous_report,
    indicator_match_share,
    indicator_match_shares,
    year_on_year,
)
from lawnb.analyse.matching import normalize_subject
from lawnb.analyse.promises import targets
from lawnb.analyse.series import trends
from lawnb.errors import DatasetError

try:
    from .comparison_helpers import is_nan, row, with_facts, without_ids
except ImportError:  # pragma: no cover
    from comparison_helpers import is_nan, row, with_facts, without_ids


def test_year_on_year_donghu_2022(demo):
    yoy = year_on_year(demo, "东湖镇", 2022)
    assert list(yoy.columns) == list(YOY_COLUMNS)

    # 2021 "全年检查企业120家次" → 2022 "全年检查企业136家次": a rise of 16 (13.3%).
    rise = row(yoy, "functions.enterprise_inspections")
    assert (rise["previous"], rise["current"], rise["change"]) == (120, 136, 16)
    assert rise["change_pct"] == pytest.approx(16 / 120 * 100)
    assert (rise["status"], rise["approx"], rise["how"]) == ("增长", False, "indicator")

    # "下达责令整改通知书86份" → "72份": a fall of 14.
    fall = row(yoy, "enforcement.rectification_notices")
    assert (fall["previous"], fall["current"], fall["change"]) == (86, 72, -14)
    assert fall["change_pct"] == pytest.approx(-14 / 86 * 100)
    assert fall["status"] == "下降"

    # "党委理论学习中心组学法12次" both years: flat.
    flat = row(yoy, "leadership.study_group_sessions")
    assert (flat["previous"], flat["current"], flat["change"], flat["change_pct"]) == (12, 12, 0, 0)
    assert flat["status"] == "持平"

    # "组织执法人员培训3次" → "组织执法人员培训5次": the catalogue's 执法人员培训.
    training = row(yoy, "enforcement.staff_training", "次")
    assert (training["previous"], training["current"], training["how"]) == (3, 5, "indicator")
    assert (training["label"], training["status"]) == ("执法人员培训", "增长")

    # 2021 only promised 法律明白人 (a target, not a result); 2022 "新增法律明白人32名": new.
    new = row(yoy, "society.legal_literates")
    assert new["status"] == "新增" and new["current"] == 32
    assert is_nan(new["previous"]) and is_nan(new["change"]) and is_nan(new["change_pct"])

    # 2021 "组织镇村干部法律知识考试一次"; 2022 has no exam figure: not mentioned this year
    # (which says nothing about whether the work stopped).
    gone = row(yoy, "leadership.law_exams")
    assert gone["status"] == "本年报告未提及" == NOT_MENTIONED and gone["previous"] == 1
    assert is_nan(gone["current"]) and is_nan(gone["change_pct"])

    # "现场咨询群众约800人次" → "现场咨询群众900人次": about +100, flagged approximate.
    approx = row(yoy, "society.people_reached")
    assert (approx["previous"], approx["previous_qualifier"]) == (800, "approx")
    assert (approx["current"], approx["current_qualifier"]) == (900, "exact")
    assert approx["change"] == 100 and bool(approx["approx"]) is True
    assert approx["status"] == "增长"

    # Targets, composition parts and derived rows never appear.
    assert "高中及以下" not in set(yoy["key"]) and "本科" not in set(yoy["key"])
    assert set(yoy["status"]) <= {"增长", "下降", "持平", "新增", "本年报告未提及"}
    assert set(CHANGE_STATUSES) == {"增长", "下降", "持平", "新增", "本年报告未提及"}
    assert "消失" not in set(yoy["status"])
    # Every fact of both years is catalogued: every row was matched by id.
    assert (yoy["how"] == "indicator").all()
    assert (yoy["note"] == "").all()
    assert has_previous_report(demo, "东湖镇", 2022) and not has_previous_report(
        demo, "东湖镇", 2021
    )


def test_year_on_year_donghu_2023_new_and_gone(demo):
    yoy = year_on_year(demo, "东湖镇", 2023)
    # "配合开展全员核酸检测37轮" in 2022, nothing in 2023.
    assert row(yoy, "emergencies.testing_rounds")["status"] == NOT_MENTIONED
    # The exam comes back in 2023 ("组织镇村干部法律知识考试一次").
    assert row(yoy, "leadership.law_exams")["status"] == "新增"
    # "组织执法人员培训5次" both years.
    assert row(yoy, "enforcement.staff_training")["status"] == "持平"
    # "现场咨询群众900人次" → "现场咨询群众近1,100人次".
    near = row(yoy, "society.people_reached")
    assert (near["change"], near["approx"], near["current_qualifier"]) == (200, True, "approx")
    # Rows of this year come first, in reading order; those not mentioned this year last.
    assert yoy["status"].iloc[-1] == NOT_MENTIONED
    assert yoy["key"].iloc[0] == "functions.enterprise_inspections"


def test_year_on_year_zero_base_duplicates_and_measures(demo):
    facts = demo.facts.copy()
    r22 = facts["report_id"] == "示例区/东湖镇/2022"
    r23 = facts["report_id"] == "示例区/东湖镇/2023"
    training = facts["indicator"] == "enforcement.staff_training"
    # Last year's base is 0: change_pct is NaN, not infinite.
    facts.loc[r22 & training, "value"] = 0
    # The 案卷评查 figure is measured in 次 instead of 轮 this year: never compared.
    facts.loc[r23 & (facts["indicator"] == "enforcement.case_file_reviews"), "measure"] = "次"
    # A key twice in this year's report: the first is kept and the note says so.
    first = facts[r23 & (facts["indicator"] == "disputes.mediated")]
    facts = pd.concat([facts, first.assign(value=999.0, fact_id="Fdup")], ignore_index=True)
    yoy = year_on_year(with_facts(demo, facts), "东湖镇", 2023)

    zero = row(yoy, "enforcement.staff_training")
    assert (zero["previous"], zero["current"], zero["status"]) == (0, 5, "增长")
    assert is_nan(zero["change_pct"])

    assert row(yoy, "enforcement.case_file_reviews", "轮")["status"] == NOT_MENTIONED
    assert row(yoy, "enforcement.case_file_reviews", "次")["status"] == "新增"

    dup = row(yoy, "disputes.mediated")
    assert dup["current"] == 126  # "全年调解矛盾纠纷126件", not the appended 999
    assert dup["note"] == "本年报告中出现2次，取第一处"


def test_year_on_year_needs_the_current_report(demo):
    with pytest.raises(DatasetError, match="2030"):
        year_on_year(demo, "东湖镇", 2030)


# --- matching by indicator id first, then by subject ---------------------------------------


def test_indicator_first_when_subjects_are_worded_differently(qingliu):
    yoy = year_on_year(qingliu, "青柳镇", 2023)
    # 检查企业 / 检查辖区经营主体: different subjects, one catalogued indicator.
    firms = row(yoy, "functions.enterprise_inspections")
    assert (firms["previous"], firms["current"], firms["status"]) == (120, 136, "增长")
    assert (firms["how"], firms["label"]) == ("indicator", "检查企业")
    # 执法人员集中培训 / 执法人员业务培训.
    training = row(yoy, "enforcement.staff_training")
    assert (training["previous"], training["current"], training["how"]) == (3, 5, "indicator")
    # Their normalised subjects differ: matching by subject alone would not pair them.
    facts = qingliu.facts
    subject = dict(zip(facts["value"], facts["subject"].map(normalize_subject), strict=True))
    assert subject[120] != subject[136] and subject[3] != subject[5]
    assert indicator_match_share(qingliu, "青柳镇", 2023) == 1


def test_fact_absent_this_year_is_not_mentioned(qingliu):
    yoy = year_on_year(qingliu, "青柳镇", 2023)
    tested = row(yoy, "emergencies.testing_rounds")
    assert (tested["status"], tested["previous"]) == ("本年报告未提及", 20)
    assert is_nan(tested["current"]) and tested["how"] == "indicator"
    assert "消失" not in set(yoy["status"])


def test_subject_match_when_one_year_has_no_id(demo):
    # A report read before the catalogue knew its figures: no ids, same wording.
    old = without_ids(demo, "示例区/东湖镇/2021")
    yoy = year_on_year(old, "东湖镇", 2022)
    both = yoy[yoy["status"].isin(["增长", "下降", "持平"])]
    assert (both["how"] == "subject").all() and len(both) == 19
    # By id both years, 21: two figures are worded differently in 2022 ("政府网站和村务公开栏
    # 公开政府信息168条" → "公众号和村务公开栏公开政府信息195条", "持有执法证件人员18人" →
    # "行政执法办公室持有执法证件人员21人"); by subject they read as new and not mentioned.
    with_ids = year_on_year(demo, "东湖镇", 2022)
    assert with_ids["status"].isin(["增长", "下降", "持平"]).sum() == 21
    assert row(yoy, "oversight.items_disclosed")["status"] == "新增"
    assert row(yoy, "政府网站和村务公开栏公开政府信息")["status"] == NOT_MENTIONED
    firms = row(yoy, "functions.enterprise_inspections")  # keyed by the id the other year has
    assert (firms["previous"], firms["current"], firms["how"]) == (120, 136, "subject")
    assert indicator_match_share(old, "东湖镇", 2022) == 0
    # Promises kept, the same way: 2022's results carry no ids.
    t = targets(without_ids(demo, "示例区/东湖镇/2022"), "东湖镇", 2021)
    events = row(t, "society.publicity_events")
    assert (events["result"], events["status"], events["how"]) == (20, "已完成", "subject")
    # Trends join the years into one series.
    series = trends(old, "东湖镇", indicators="functions.enterprise_inspections")
    assert series.set_index("year")["value"].tolist() == [120, 136, 151]


def test_different_ids_never_match_by_subject(demo):
    facts = demo.facts.copy()
    firms = (facts["report_id"] == "示例区/东湖镇/2021") & (
        facts["indicator"] == "functions.enterprise_inspections"
    )
    facts.loc[firms, "indicator"] = "functions.safety_inspections"  # an analyst's correction
    yoy = year_on_year(with_facts(demo, facts), "东湖镇", 2022)
    assert row(yoy, "functions.enterprise_inspections")["status"] == "新增"
    assert row(yoy, "functions.safety_inspections")["status"] == NOT_MENTIONED


DEMO_PAIRS = [
    (unit, year) for unit in ("东湖镇", "北城街道", "南岭乡", "西山镇") for year in (2022, 2023)
]


@pytest.mark.parametrize(("unit", "year"), DEMO_PAIRS)
def test_demo_pairs_match_by_indicator(demo, unit, year):
    # Acceptance: ≥ 80 % of the facts both years report match by catalogue id.
    assert indicator_match_share(demo, unit, year) >= 0.8


def test_match_shares_table(demo):
    shares = indicator_match_shares(demo)
    assert list(shares.columns) == list(MATCH_SHARE_COLUMNS)
    pairs = list(zip(shares["unit"], shares["year"], strict=True))
    assert sorted(pairs) == sorted(DEMO_PAIRS)
    assert (shares["previous_year"] == shares["year"] - 1).all()
    assert (shares["both"] >= 15).all()  # the demo towns report much the same work each year
    assert (shares["by_indicator"] + shares["by_subject"] == shares["both"]).all()
    assert (shares["share"] >= 0.8).all()
    # Without ids the share falls to 0, so the figure measures something.
    no_ids = with_facts(demo, demo.facts.assign(indicator=pd.NA))
    assert (indicator_match_shares(no_ids, ["东湖镇"])["share"] == 0).all()


def test_match_share_without_previous_year(demo, sample):
    assert is_nan(indicator_match_share(demo, "东湖镇", 2021))
    assert indicator_match_shares(sample).empty
