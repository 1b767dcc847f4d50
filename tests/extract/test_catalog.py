"""The indicator catalogue (lawnb/rules/catalog.yaml, lawnb.extract.catalog): ids, rules, assignment.

Sentences below are fictional, written for these tests; each is read as part of a fictional
report with ``lawnb.read_report`` and ``lawnb.extract_facts``, the way an import reads one.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

import lawnb
from lawnb.errors import LawnbError
from lawnb.extract import catalog
from lawnb.schema import DIMENSIONS

# Ids published before the catalogue was extended: they must never disappear or change meaning.
PUBLISHED_IDS = {
    "leadership.study_group_sessions": "leadership",
    "leadership.collective_law_study": "leadership",
    "leadership.meetings_on_rule_of_law": "leadership",
    "leadership.law_exams": "leadership",
    "leadership.exam_pass_rate": "leadership",
    "leadership.training_sessions": "leadership",
    "leadership.training_attendance": "leadership",
    "leadership.lectures": "leadership",
    "functions.enterprise_inspections": "functions",
    "functions.hazards_fixed": "functions",
    "functions.duty_list_items": "functions",
    "functions.service_cases": "functions",
    "functions.food_inspections": "functions",
    "functions.polluting_firms_closed": "functions",
    "functions.satisfaction_rate": "functions",
    "functions.inspectors_dispatched": "functions",
    "rules.normative_documents_issued": "rules",
    "rules.normative_documents_filed": "rules",
    "rules.normative_documents_cleaned": "rules",
    "rules.legality_reviews": "rules",
    "rules.review_coverage": "rules",
    "decisions.major_decisions": "decisions",
    "decisions.legal_advisers": "decisions",
    "decisions.adviser_opinions": "decisions",
    "enforcement.certified_staff": "enforcement",
    "enforcement.team_size": "enforcement",
    "enforcement.inspection_records": "enforcement",
    "enforcement.rectification_notices": "enforcement",
    "enforcement.penalty_cases": "enforcement",
    "enforcement.fines": "enforcement",
    "enforcement.inspections": "enforcement",
    "emergencies.drills": "emergencies",
    "emergencies.testing_rounds": "emergencies",
    "emergencies.plans_revised": "emergencies",
    "disputes.mediated": "disputes",
    "disputes.mediation_success_rate": "disputes",
    "disputes.petitions": "disputes",
    "disputes.reconsideration_cases": "disputes",
    "disputes.litigation_cases": "disputes",
    "disputes.leaders_in_court": "disputes",
    "disputes.mediators": "disputes",
    "disputes.mediator_training": "disputes",
    "oversight.bulletins": "oversight",
    "oversight.problems_rectified": "oversight",
    "oversight.items_disclosed": "oversight",
    "oversight.disclosure_requests": "oversight",
    "digital.online_services": "digital",
    "society.publicity_events": "society",
    "society.people_reached": "society",
    "society.leaflets": "society",
    "society.legal_education_youth": "society",
    "society.legal_literates": "society",
    "society.legal_service_cases": "society",
    "society.villages": "society",
}

REAL_TEXTS = Path(__file__).resolve().parents[3] / "realworld-texts"


# --- the catalogue as data ----------------------------------------------------------------------


def test_published_ids_are_kept_with_their_dimension():
    ids = {i.id: i.dimension for i in catalog.indicators()}
    assert {k: ids.get(k) for k in PUBLISHED_IDS} == PUBLISHED_IDS


def test_every_entry_is_well_formed():
    found = catalog.indicators()
    assert len(found) >= 100
    assert len({i.id for i in found}) == len(found)
    for i in found:
        assert re.fullmatch(r"[a-z]+\.[a-z][a-z0-9_]*", i.id), i.id
        assert i.id.split(".")[0] == i.dimension and i.dimension in DIMENSIONS, i.id
        assert re.search(r"[\u4e00-\u9fff]", i.name), i.id  # a Chinese name
        assert i.measures and i.keywords, i.id
    # Every dimension has something to track.
    assert {i.dimension for i in found} == set(DIMENSIONS)
    table = catalog.catalog_table()
    assert list(table.columns) == [
        "id",
        "name",
        "measures",
        "dimension",
        "keywords",
        "not",
        "context",
    ]
    assert len(table) == len(found)


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"id": "rules.x", "name": "某", "measures": ["件"], "keywords": ["某"]}, "缺少 dimension"),
        (
            {"id": "rules.x", "name": "某", "measures": ["件"], "dimension": "nowhere", "keywords": ["某"]},
            "维度 'nowhere' 未知",
        ),
        (
            {"id": "society.x", "name": "某", "measures": ["件"], "dimension": "rules", "keywords": ["某"]},
            "以其维度 rules 开头",
        ),
        (
            {"id": "rules.Bad-Id", "name": "某", "measures": ["件"], "dimension": "rules", "keywords": ["某"]},
            "英文小写名",
        ),
        (
            {"id": "rules.x", "name": "某", "measures": "件", "dimension": "rules", "keywords": ["某"]},
            "measures 应为列表",
        ),
        (
            {"id": "rules.x", "name": "某", "measures": ["件"], "dimension": "rules", "keywords": ["*某"]},
            "以 \\* 开头",
        ),
        (
            {"id": "rules.x", "name": "某", "measures": ["件"], "dimension": "rules", "keywords": ["某"], "exclude": ["甲"]},
            "未知字段 exclude",
        ),
    ],
)  # fmt: skip
def test_broken_entries_are_refused_with_the_file_named(entry, message):
    with pytest.raises(LawnbError, match=message) as error:
        catalog._indicator(entry, 3)
    assert "lawnb/rules/catalog.yaml" in str(error.value)


# --- matching rules -----------------------------------------------------------------------------


def test_keyword_with_a_star_is_words_in_order():
    # 审*合同: 审, then 合同 further on, in either wording; the order matters.
    assert catalog.match_indicator("法律顾问审查各类合同", "份").id == "rules.legality_reviews"
    assert catalog.match_indicator("审核村级合同", "件").id == "rules.legality_reviews"
    assert catalog.match_indicator("合同签订审", "份") is None


def test_measure_decides_between_indicators_of_one_subject():
    assert catalog.match_indicator("法律顾问", "名").id == "decisions.legal_advisers"
    assert catalog.match_indicator("法律顾问", "%").id == "decisions.adviser_coverage"
    assert catalog.match_indicator("法律顾问", "平方米") is None


def test_context_words_are_read_in_the_sentence():
    # An education level counts the enforcement team only when the sentence is about it.
    team = "镇综合执法队30人中本科9人，大专12人。"
    grid = "全镇网格员30人中本科9人，大专12人。"
    assert catalog.match_indicator("本科", "人", team).id == "enforcement.staff_by_education"
    assert catalog.match_indicator("本科", "人", grid) is None
    assert catalog.match_indicator("本科", "人", "") is None


def test_not_words_keep_look_alikes_out():
    assert catalog.match_indicator("解读热点法律问题", "个") is None  # not 整改问题
    assert catalog.match_indicator("排查刑事诉讼积案", "起") is None  # not 行政诉讼案件
    食品 = catalog.match_indicator("食品安全监督抽检合格率", "%")
    assert 食品 is not None and 食品.id == "functions.food_sampling"  # not 考试合格率


# --- assignment on fictional reports ------------------------------------------------------------

FICTIONAL_REPORT = """虚构区青柳镇2023年度法治政府建设情况报告
2023年，青柳镇认真落实法治政府建设各项任务，现将有关情况报告如下。
一、主要举措和成效
（一）依法全面履行政府职能
全年检查辖区经营主体87家次，整改安全隐患64处。拆除违法建设6处，面积900平方米。办结12345热线工单1,320件，群众满意率98.5%。
（二）推进严格规范公正文明执法
镇综合执法队30人中本科9人，大专12人，其余为高中及以下学历。组织执法人员业务培训4次，开展行政执法案卷评查2次。法律顾问审查各类合同41份。
（三）化解矛盾纠纷
全年调解矛盾纠纷73件，其中成功化解70件。接待群众来访96人次。
（四）法治社会建设
开展法律进村活动18场次，发放宣传资料2,400份。新建村级法治文化广场2处，群众法律知识知晓率达92%。
二、党政主要负责人履行推进法治建设第一责任人职责情况
镇党委会议专题研究法治建设工作5次，机关干部集中学法10次，组织机关干部参加网上学法考试1次。
三、存在的不足
一是网格员法律素养有待提高，全镇网格员40人中本科5人。二是部分干部对热点法律问题解读不够，共梳理热点法律问题15个。
"""

EXPECTED = [
    # (value, measure, indicator or None): what an analyst reading the sentence would file it as
    (87, "家次", "functions.enterprise_inspections"),  # 检查辖区经营主体
    (64, "处", "functions.hazards_fixed"),
    (6, "处", "functions.illegal_buildings"),
    (900, "平方米", "functions.illegal_buildings"),  # 面积 of the demolished buildings
    (1320, "件", "functions.hotline_tickets"),
    (98.5, "%", "functions.satisfaction_rate"),
    (30, "人", "enforcement.team_size"),
    (9, "人", "enforcement.staff_by_education"),
    (12, "人", "enforcement.staff_by_education"),
    (4, "次", "enforcement.staff_training"),  # not 法治培训 of cadres
    (2, "次", "enforcement.case_file_reviews"),
    (41, "份", "rules.legality_reviews"),
    (73, "件", "disputes.mediated"),
    (70, "件", "disputes.resolved"),  # 成功化解 is not all that was mediated
    (96, "人次", "disputes.petitions"),
    (18, "场次", "society.publicity_events"),  # 法律进村活动
    (2400, "份", "society.leaflets"),
    (2, "处", "society.new_culture_sites"),  # 新建 … 法治文化广场
    (92, "%", "society.legal_awareness_rate"),
    (5, "次", "leadership.meetings_on_rule_of_law"),
    (10, "次", "leadership.collective_law_study"),
    (1, "次", "leadership.law_exams"),  # 学法考试 is an exam, not a study session
    (40, "人", None),  # 网格员: not the enforcement team
    (5, "人", None),  # 本科 among 网格员: the sentence is not about enforcement
    (15, "个", None),  # 热点法律问题 are not problems rectified
]


@pytest.fixture(scope="module")
def fictional_facts() -> pd.DataFrame:
    return lawnb.extract_facts(lawnb.read_report(FICTIONAL_REPORT))


@pytest.mark.parametrize(("value", "measure", "indicator"), EXPECTED)
def test_fictional_facts_get_the_indicator_an_analyst_would_give(
    fictional_facts, value, measure, indicator
):
    facts = fictional_facts
    rows = facts[(facts["value"] == value) & (facts["measure"] == measure)]
    assert len(rows) >= 1, f"{value}{measure} not extracted:\n{facts[['subject', 'value']]}"
    got = [None if pd.isna(i) else i for i in rows["indicator"]]
    assert indicator in got, f"{value}{measure}: {got} ({rows['subject'].tolist()})"
    if indicator is None:
        assert got == [None] * len(got)


def test_fictional_report_is_mostly_catalogued(fictional_facts):
    share = fictional_facts["indicator"].notna().mean()
    assert share >= 0.8, fictional_facts[["subject", "value", "measure", "indicator"]]


def test_indicator_gives_the_dimension(fictional_facts):
    facts = fictional_facts.dropna(subset=["indicator"])
    dimensions = facts["indicator"].str.split(".").str[0]
    assert (facts["dimension"] == dimensions).all()


# --- coverage on whole datasets -----------------------------------------------------------------


def test_demo_facts_are_catalogued():
    facts = lawnb.load_dataset("demo").facts
    assert facts["indicator"].notna().mean() >= 0.9
    # Every indicator id in the bundled data is in the catalogue.
    assert set(facts["indicator"].dropna()) <= {i.id for i in catalog.indicators()}


@pytest.mark.skipif(not REAL_TEXTS.is_dir(), reason="the real development texts are not here")
def test_real_development_texts_are_mostly_catalogued(tmp_path):
    lawnb.import_reports(sorted(REAL_TEXTS.glob("*.txt")), tmp_path / "rw")
    facts = lawnb.load_dataset(tmp_path / "rw").facts
    assert len(facts) >= 100
    assert facts["indicator"].notna().mean() >= 0.7
