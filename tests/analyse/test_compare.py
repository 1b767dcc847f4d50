"""lawnb.analyse.compare on the fictional demo district 示例区 and the bundled 齐村镇 2020 sample.

Every expected figure below was read by hand from lawnb/data/demo_reports/*.txt (the report
sentence is quoted next to it), not from the dataset the code reads.
"""

from __future__ import annotations

import dataclasses
import math
from importlib import resources

import pandas as pd
import pytest

import lawnb
from lawnb.analyse.compare import (
    CHANGE_STATUSES,
    MATCH_SHARE_COLUMNS,
    NOT_MENTIONED,
    TARGET_COLUMNS,
    YOY_COLUMNS,
    district,
    indicator_key,
    indicator_match_share,
    indicator_match_shares,
    normalize_subject,
    targets,
    trends,
    year_on_year,
)
from lawnb.errors import DatasetError
from lawnb.store.dataset import Dataset, concat, load_dataset, report_tables

DEMO_REPORTS = resources.files("lawnb") / "data" / "demo_reports"


@pytest.fixture(scope="module")
def demo():
    return load_dataset("demo")


@pytest.fixture(scope="module")
def sample():
    return load_dataset()


def _row(frame: pd.DataFrame, key: str, measure: str | None = None) -> pd.Series:
    rows = frame[frame["key"] == key]
    if measure is not None:
        rows = rows[rows["measure"] == measure]
    assert len(rows) == 1, f"{key}: {len(rows)} rows in\n{frame}"
    return rows.iloc[0]


def _nan(x: object) -> bool:
    return isinstance(x, float) and math.isnan(x)


# --- matching -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("执法人员培训", "执法人员培训"),
        ("开展执法人员培训", "执法人员培训"),
        ("全年共开展普法宣传活动", "普法宣传活动"),
        ("组织执法人员集中培训", "执法人员集中培训"),
        ("二是推动12345热线工单满意率", "12345热线工单满意率"),
        ("力争信访事项控制在", "信访事项"),
        ("法律进村”活动", "法律进村活动"),
        ("共建巡回审判点", "共建巡回审判点"),  # 共建 is a word, not 共 + object
        ("新增法律明白人", "新增法律明白人"),  # an increment is not the stock
        ("累计调解纠纷", "累计调解纠纷"),
        ("开展", "开展"),  # never shorter than two characters
    ],
)
def test_normalize_subject(raw, normalised):
    assert normalize_subject(raw) == normalised


def test_indicator_key_prefers_catalogue_id_then_normalised_subject():
    facts = pd.DataFrame(
        {
            "indicator": ["society.publicity_events", pd.NA, pd.NA],
            "subject": ["开展普法宣传活动", "组织执法人员培训", pd.NA],
        }
    )
    assert indicator_key(facts).tolist() == ["society.publicity_events", "执法人员培训", None]


# --- year on year ---------------------------------------------------------------------------


def test_year_on_year_donghu_2022(demo):
    yoy = year_on_year(demo, "东湖镇", 2022)
    assert list(yoy.columns) == list(YOY_COLUMNS)

    # 2021 "全年检查企业120家次" → 2022 "全年检查企业136家次": a rise of 16 (13.3%).
    rise = _row(yoy, "functions.enterprise_inspections")
    assert (rise["previous"], rise["current"], rise["change"]) == (120, 136, 16)
    assert rise["change_pct"] == pytest.approx(16 / 120 * 100)
    assert (rise["status"], rise["approx"], rise["how"]) == ("增长", False, "indicator")

    # "下达责令整改通知书86份" → "72份": a fall of 14.
    fall = _row(yoy, "enforcement.rectification_notices")
    assert (fall["previous"], fall["current"], fall["change"]) == (86, 72, -14)
    assert fall["change_pct"] == pytest.approx(-14 / 86 * 100)
    assert fall["status"] == "下降"

    # "党委理论学习中心组学法12次" both years: flat.
    flat = _row(yoy, "leadership.study_group_sessions")
    assert (flat["previous"], flat["current"], flat["change"], flat["change_pct"]) == (12, 12, 0, 0)
    assert flat["status"] == "持平"

    # "组织执法人员培训3次" → "组织执法人员培训5次": the catalogue's 执法人员培训.
    training = _row(yoy, "enforcement.staff_training", "次")
    assert (training["previous"], training["current"], training["how"]) == (3, 5, "indicator")
    assert (training["label"], training["status"]) == ("执法人员培训", "增长")

    # 2021 only promised 法律明白人 (a target, not a result); 2022 "新增法律明白人32名": new.
    new = _row(yoy, "society.legal_literates")
    assert new["status"] == "新增" and new["current"] == 32
    assert _nan(new["previous"]) and _nan(new["change"]) and _nan(new["change_pct"])

    # 2021 "组织镇村干部法律知识考试一次"; 2022 has no exam figure: not mentioned this year
    # (which says nothing about whether the work stopped).
    gone = _row(yoy, "leadership.law_exams")
    assert gone["status"] == "本年报告未提及" == NOT_MENTIONED and gone["previous"] == 1
    assert _nan(gone["current"]) and _nan(gone["change_pct"])

    # "现场咨询群众约800人次" → "现场咨询群众900人次": about +100, flagged approximate.
    approx = _row(yoy, "society.people_reached")
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
    assert yoy.attrs["previous_report"] is True


def test_year_on_year_donghu_2023_new_and_gone(demo):
    yoy = year_on_year(demo, "东湖镇", 2023)
    # "配合开展全员核酸检测37轮" in 2022, nothing in 2023.
    assert _row(yoy, "emergencies.testing_rounds")["status"] == NOT_MENTIONED
    # The exam comes back in 2023 ("组织镇村干部法律知识考试一次").
    assert _row(yoy, "leadership.law_exams")["status"] == "新增"
    # "组织执法人员培训5次" both years.
    assert _row(yoy, "enforcement.staff_training")["status"] == "持平"
    # "现场咨询群众900人次" → "现场咨询群众近1,100人次".
    near = _row(yoy, "society.people_reached")
    assert (near["change"], near["approx"], near["current_qualifier"]) == (200, True, "approx")
    # Rows of this year come first, in reading order; those not mentioned this year last.
    assert yoy["status"].iloc[-1] == NOT_MENTIONED
    assert yoy["key"].iloc[0] == "functions.enterprise_inspections"


def _with_facts(dataset, facts):
    return dataclasses.replace(dataset, facts=facts.reset_index(drop=True))


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
    yoy = year_on_year(_with_facts(demo, facts), "东湖镇", 2023)

    zero = _row(yoy, "enforcement.staff_training")
    assert (zero["previous"], zero["current"], zero["status"]) == (0, 5, "增长")
    assert _nan(zero["change_pct"])

    assert _row(yoy, "enforcement.case_file_reviews", "轮")["status"] == NOT_MENTIONED
    assert _row(yoy, "enforcement.case_file_reviews", "次")["status"] == "新增"

    dup = _row(yoy, "disputes.mediated")
    assert dup["current"] == 126  # "全年调解矛盾纠纷126件", not the appended 999
    assert dup["note"] == "本年报告中出现2次，取第一处"


def test_year_on_year_needs_the_current_report(demo):
    with pytest.raises(DatasetError, match="2030"):
        year_on_year(demo, "东湖镇", 2030)


# --- matching by indicator id first, then by subject ---------------------------------------

# Two fictional reports of one town, written for these tests: the same work worded differently.
QINGLIU_2022 = """虚构区青柳镇2022年度法治政府建设情况报告
一、主要举措和成效
全年检查企业120家次，组织执法人员集中培训3次。开展普法宣传活动12场次。配合开展全员核酸检测20轮。
二、下一年度工作安排
计划组织执法人员培训不少于4次，开展普法宣传活动不少于15场次。
"""
QINGLIU_2023 = """虚构区青柳镇2023年度法治政府建设情况报告
一、主要举措和成效
全年检查辖区经营主体136家次，开展执法人员业务培训5次。举办普法宣传活动14场次。
"""


def _fictional(*texts: str) -> Dataset:
    """A dataset of fictional reports, read and extracted the way an import does."""
    tables = [report_tables(lawnb.read_report(text)) for text in texts]
    return Dataset(
        *(
            concat([getattr(t, name) for t in tables], name)
            for name in ("reports", "sections", "facts")
        )
    )


@pytest.fixture(scope="module")
def qingliu():
    return _fictional(QINGLIU_2022, QINGLIU_2023)


def test_indicator_first_when_subjects_are_worded_differently(qingliu):
    yoy = year_on_year(qingliu, "青柳镇", 2023)
    # 检查企业 / 检查辖区经营主体: different subjects, one catalogued indicator.
    firms = _row(yoy, "functions.enterprise_inspections")
    assert (firms["previous"], firms["current"], firms["status"]) == (120, 136, "增长")
    assert (firms["how"], firms["label"]) == ("indicator", "检查企业")
    # 执法人员集中培训 / 执法人员业务培训.
    training = _row(yoy, "enforcement.staff_training")
    assert (training["previous"], training["current"], training["how"]) == (3, 5, "indicator")
    # Their normalised subjects differ: matching by subject alone would not pair them.
    facts = qingliu.facts
    subject = dict(zip(facts["value"], facts["subject"].map(normalize_subject), strict=True))
    assert subject[120] != subject[136] and subject[3] != subject[5]
    assert indicator_match_share(qingliu, "青柳镇", 2023) == 1


def test_fact_absent_this_year_is_not_mentioned(qingliu):
    yoy = year_on_year(qingliu, "青柳镇", 2023)
    tested = _row(yoy, "emergencies.testing_rounds")
    assert (tested["status"], tested["previous"]) == ("本年报告未提及", 20)
    assert _nan(tested["current"]) and tested["how"] == "indicator"
    assert "消失" not in set(yoy["status"])


def test_promises_kept_by_indicator_when_worded_differently(qingliu):
    t = targets(qingliu, "青柳镇", 2022)
    # "计划组织执法人员培训不少于4次" → "开展执法人员业务培训5次".
    training = _row(t, "enforcement.staff_training")
    assert (training["result"], training["status"], training["how"]) == (5, "已完成", "indicator")
    # "开展普法宣传活动不少于15场次" → "举办普法宣传活动14场次".
    events = _row(t, "society.publicity_events")
    assert (events["result"], events["status"], events["how"]) == (14, "未完成", "indicator")


def _without_ids(dataset, report_id):
    facts = dataset.facts.copy()
    facts.loc[facts["report_id"] == report_id, "indicator"] = pd.NA
    return _with_facts(dataset, facts)


def test_subject_match_when_one_year_has_no_id(demo):
    # A report read before the catalogue knew its figures: no ids, same wording.
    old = _without_ids(demo, "示例区/东湖镇/2021")
    yoy = year_on_year(old, "东湖镇", 2022)
    both = yoy[yoy["status"].isin(["增长", "下降", "持平"])]
    assert (both["how"] == "subject").all() and len(both) == 19
    # By id both years, 21: two figures are worded differently in 2022 ("政府网站和村务公开栏
    # 公开政府信息168条" → "公众号和村务公开栏公开政府信息195条", "持有执法证件人员18人" →
    # "行政执法办公室持有执法证件人员21人"); by subject they read as new and not mentioned.
    with_ids = year_on_year(demo, "东湖镇", 2022)
    assert with_ids["status"].isin(["增长", "下降", "持平"]).sum() == 21
    assert _row(yoy, "oversight.items_disclosed")["status"] == "新增"
    assert _row(yoy, "政府网站和村务公开栏公开政府信息")["status"] == NOT_MENTIONED
    firms = _row(yoy, "functions.enterprise_inspections")  # keyed by the id the other year has
    assert (firms["previous"], firms["current"], firms["how"]) == (120, 136, "subject")
    assert indicator_match_share(old, "东湖镇", 2022) == 0
    # Promises kept, the same way: 2022's results carry no ids.
    t = targets(_without_ids(demo, "示例区/东湖镇/2022"), "东湖镇", 2021)
    events = _row(t, "society.publicity_events")
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
    yoy = year_on_year(_with_facts(demo, facts), "东湖镇", 2022)
    assert _row(yoy, "functions.enterprise_inspections")["status"] == "新增"
    assert _row(yoy, "functions.safety_inspections")["status"] == NOT_MENTIONED


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
    no_ids = _with_facts(demo, demo.facts.assign(indicator=pd.NA))
    assert (indicator_match_shares(no_ids, ["东湖镇"])["share"] == 0).all()


def test_match_share_without_previous_year(demo, sample):
    assert _nan(indicator_match_share(demo, "东湖镇", 2021))
    assert indicator_match_shares(sample).empty


# --- trends ---------------------------------------------------------------------------------


def test_trends_keep_gaps_as_nan(demo):
    tidy = trends(demo, "东湖镇")
    assert list(tidy.columns) == ["year", "key", "label", "value", "measure", "qualifier"]
    exams = tidy[tidy["key"] == "leadership.law_exams"].set_index("year")
    # "法律知识考试一次" in 2021 and 2023, none in 2022: a NaN row, never 0.
    assert exams.index.tolist() == [2021, 2022, 2023]
    assert exams.loc[2021, "value"] == 1 and exams.loc[2023, "value"] == 1
    assert _nan(exams.loc[2022, "value"]) and pd.isna(exams.loc[2022, "qualifier"])
    assert exams["label"].unique().tolist() == ["法律知识考试"]

    rounds = tidy[tidy["key"] == "emergencies.testing_rounds"].set_index("year")["value"]
    assert rounds.loc[2021] == 14 and rounds.loc[2022] == 37 and _nan(rounds.loc[2023])
    assert not (tidy["value"] == 0).any()
    # Every series has one row per year.
    assert (tidy.groupby(["key", "measure"]).size() == 3).all()


def test_trends_default_keeps_keys_seen_in_two_years(demo):
    tidy = trends(demo, "东湖镇", years=[2022, 2023])
    keys = set(tidy["key"])
    assert "functions.enterprise_inspections" in keys
    assert "emergencies.testing_rounds" not in keys  # 2022 only within these years
    assert "leadership.law_exams" not in keys  # 2023 only


def test_trends_select_by_id_subject_or_label(demo):
    tidy = trends(
        demo,
        "东湖镇",
        indicators=["开展执法人员培训", "society.legal_literates", "不存在的指标"],
        years=[2020, 2021, 2022, 2023],
    )
    # A subject selects the indicator its facts were filed under (组织执法人员培训 → 执法人员培训).
    assert tidy["key"].unique().tolist() == [
        "enforcement.staff_training",
        "society.legal_literates",
        "不存在的指标",
    ]
    training = tidy[tidy["key"] == "enforcement.staff_training"].set_index("year")["value"]
    assert _nan(training.loc[2020])  # no 2020 report: a gap
    assert training.loc[[2021, 2022, 2023]].tolist() == [3, 5, 5]
    literates = tidy[tidy["key"] == "society.legal_literates"].set_index("year")["value"]
    assert _nan(literates.loc[2021]) and literates.loc[2022] == 32 and literates.loc[2023] == 43
    assert tidy[tidy["key"] == "不存在的指标"]["value"].isna().all()
    by_label = trends(demo, "东湖镇", indicators="法律明白人")
    assert by_label["key"].unique().tolist() == ["society.legal_literates"]


# --- targets --------------------------------------------------------------------------------


def _targets_csv() -> pd.DataFrame:
    with resources.as_file(DEMO_REPORTS / "targets.csv") as path:
        return pd.read_csv(path, encoding="utf-8-sig")


def _csv_params():
    params = []
    for row in _targets_csv().itertuples(index=False):
        params.append(pytest.param(row, id=f"{row.unit}-{row.year}-{row.target_subject}"))
    return params


@pytest.mark.parametrize("expected", _csv_params())
def test_targets_reproduce_targets_csv(demo, expected):
    table = targets(demo, expected.unit, expected.year)
    same = table[
        (table["measure"] == expected.measure)
        & (table["target"] == expected.target_value)
        & (table["target_qualifier"] == expected.qualifier)
    ]
    assert len(same) == 1, f"no single target {expected} in\n{table}"
    got = same.iloc[0]
    if pd.isna(expected.next_year_value):
        assert _nan(got["result"])
    else:
        assert got["result"] == pytest.approx(expected.next_year_value)
    assert got["status"] == expected.expected_status
    assert bool(got["next_year_report"]) is True


def test_targets_csv_lists_every_target(demo):
    expected = _targets_csv().groupby(["unit", "year"]).size()
    for (unit, year), n in expected.items():
        assert len(targets(demo, unit, year)) == n, (unit, year)


def test_target_statuses_by_rule(demo):
    # at_least met exactly: "开展不少于20场次普法宣传活动" → 2022 "普法宣传活动20场次".
    t = targets(demo, "东湖镇", 2021)
    met = _row(t, "society.publicity_events")
    assert (met["target"], met["result"], met["status"], met["how"]) == (
        20,
        20,
        "已完成",
        "indicator",
    )
    assert "不少于20场次" in met["evidence_target"] and "20场次" in met["evidence_result"]
    # "计划组织执法人员培训4次" → "组织执法人员培训5次", both 执法人员培训.
    training = _row(t, "enforcement.staff_training")
    assert (training["status"], training["how"], training["result"]) == ("已完成", "indicator", 5)
    # "力争调解成功率达到98%以上" → 97.1%: not met.
    assert _row(t, "disputes.mediation_success_rate")["status"] == "未完成"

    # approx: "新增法律明白人40名左右" → 2023 "新增法律明白人43名".
    approx = _row(targets(demo, "东湖镇", 2022), "society.legal_literates")
    assert (approx["target_qualifier"], approx["result"], approx["status"]) == (
        "approx",
        43,
        "已完成",
    )

    # at_most: "力争信访事项控制在10件以内" → 2023 "受理信访事项8件" (met);
    # the result's own qualifier is ignored: "受教育群众4,000余人次" < 5,000 is not met.
    xs = targets(demo, "西山镇", 2022)
    petitions = _row(xs, "disputes.petitions")
    assert (petitions["target_qualifier"], petitions["result"], petitions["status"]) == (
        "at_most",
        8,
        "已完成",
    )
    people = _row(xs, "society.people_reached")
    assert (people["result"], people["result_qualifier"], people["status"]) == (
        4000,
        "approx",
        "未完成",
    )
    # at_most missed: "力争行政应诉案件控制在3件以内" → 2022 "行政应诉案件4件".
    litigation = _row(targets(demo, "北城街道", 2021), "disputes.litigation_cases")
    assert (litigation["result"], litigation["status"]) == (4, "未完成")

    # Never reported on: "组织执法人员参加上级轮训不少于两轮" has no 2022 figure in 轮.
    never = _row(targets(demo, "西山镇", 2021), "enforcement.staff_training", "轮")
    assert (never["status"], never["how"], never["evidence_result"]) == ("无可比数据", "none", "")
    assert _nan(never["result"])


def test_targets_without_next_year_report(demo):
    t = targets(demo, "东湖镇", 2023)
    assert len(t) == 4  # 普法 不少于28场次, 法律明白人 至少40名, 执法培训 6次, 调解成功率 98%以上
    assert (t["status"] == "无可比数据").all() and (t["how"] == "none").all()
    assert not t["next_year_report"].any() and t.attrs["next_year_report"] is False


# --- district -------------------------------------------------------------------------------


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
    assert key.attrs["labels"]["society.leaflets"] == "发放宣传资料"

    assert "不是排名" in tables["note"] and "规模" in tables["note"]


def test_district_zero_when_sections_but_no_facts(demo):
    facts = demo.facts
    drop = (facts["report_id"] == "示例区/东湖镇/2022") & (facts["dimension"] == "functions")
    tables = district(_with_facts(demo, facts[~drop]), 2022)
    assert tables["coverage"].loc["东湖镇", "functions"] == 0  # "（一）依法全面履行政府职能" stays


def test_district_unit_without_report(demo):
    reports = demo.reports[demo.reports["report_id"] != "示例区/西山镇/2022"]
    tables = district(dataclasses.replace(demo, reports=reports), 2022)
    assert tables["coverage"].loc["西山镇"].isna().all()
    assert tables["parts"].loc["西山镇"].isna().all()
    assert "西山镇没有2022年的报告" in tables["note"]


# --- one year only: the bundled sample (齐村镇 2020) ----------------------------------------


def test_single_year_sample(sample):
    yoy = year_on_year(sample, "齐村镇", 2020)
    assert yoy.empty and list(yoy.columns) == list(YOY_COLUMNS)
    assert yoy.attrs["previous_report"] is False

    t = targets(sample, "齐村镇", 2020)
    assert list(t.columns) == list(TARGET_COLUMNS)
    assert len(t) == 2
    assert (t["status"] == "无可比数据").all() and not t["next_year_report"].any()
    assert t.attrs["next_year_report"] is False
    got = {(r.target, r.target_qualifier, r.measure) for r in t.itertuples()}
    # "不少于8次" 法制教育 and "4次" 村级调解主任最新法律知识 training.
    assert got == {(8.0, "at_least", "次"), (4.0, "exact", "次")}
    assert set(t["key"]) == {"society.legal_education_youth", "disputes.mediator_training"}

    assert trends(sample, "齐村镇").empty  # nothing is present in two years
