"""lawnb.analyse.promises: last year's targets against this year's results (示例区 demo).

Every expected figure below was read by hand from lawnb/data/demo_reports/*.txt (the report
sentence is quoted next to it), not from the dataset the code reads.
"""

from __future__ import annotations

from importlib import resources

import pandas as pd
import pytest

from lawnb.analyse.promises import targets

try:
    from .comparison_helpers import is_nan, row
except ImportError:  # pragma: no cover
    from comparison_helpers import is_nan, row

DEMO_REPORTS = resources.files("lawnb") / "data" / "demo_reports"


def test_promises_kept_by_indicator_when_worded_differently(qingliu):
    t = targets(qingliu, "青柳镇", 2022)
    # "计划组织执法人员培训不少于4次" → "开展执法人员业务培训5次".
    training = row(t, "enforcement.staff_training")
    assert (training["result"], training["status"], training["how"]) == (5, "已完成", "indicator")
    # "开展普法宣传活动不少于15场次" → "举办普法宣传活动14场次".
    events = row(t, "society.publicity_events")
    assert (events["result"], events["status"], events["how"]) == (14, "未完成", "indicator")


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
        assert is_nan(got["result"])
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
    met = row(t, "society.publicity_events")
    assert (met["target"], met["result"], met["status"], met["how"]) == (
        20,
        20,
        "已完成",
        "indicator",
    )
    assert "不少于20场次" in met["evidence_target"] and "20场次" in met["evidence_result"]
    # "计划组织执法人员培训4次" → "组织执法人员培训5次", both 执法人员培训.
    training = row(t, "enforcement.staff_training")
    assert (training["status"], training["how"], training["result"]) == ("已完成", "indicator", 5)
    # "力争调解成功率达到98%以上" → 97.1%: not met.
    assert row(t, "disputes.mediation_success_rate")["status"] == "未完成"

    # approx: "新增法律明白人40名左右" → 2023 "新增法律明白人43名".
    approx = row(targets(demo, "东湖镇", 2022), "society.legal_literates")
    assert (approx["target_qualifier"], approx["result"], approx["status"]) == (
        "approx",
        43,
        "已完成",
    )

    # at_most: "力争信访事项控制在10件以内" → 2023 "受理信访事项8件" (met);
    # the result's own qualifier is ignored: "受教育群众4,000余人次" < 5,000 is not met.
    xs = targets(demo, "西山镇", 2022)
    petitions = row(xs, "disputes.petitions")
    assert (petitions["target_qualifier"], petitions["result"], petitions["status"]) == (
        "at_most",
        8,
        "已完成",
    )
    people = row(xs, "society.people_reached")
    assert (people["result"], people["result_qualifier"], people["status"]) == (
        4000,
        "approx",
        "未完成",
    )
    # at_most missed: "力争行政应诉案件控制在3件以内" → 2022 "行政应诉案件4件".
    litigation = row(targets(demo, "北城街道", 2021), "disputes.litigation_cases")
    assert (litigation["result"], litigation["status"]) == (4, "未完成")

    # Never reported on: "组织执法人员参加上级轮训不少于两轮" has no 2022 figure in 轮.
    never = row(targets(demo, "西山镇", 2021), "enforcement.staff_training", "轮")
    assert (never["status"], never["how"], never["evidence_result"]) == ("无可比数据", "none", "")
    assert is_nan(never["result"])


def test_targets_without_next_year_report(demo):
    t = targets(demo, "东湖镇", 2023)
    assert len(t) == 4  # 普法 不少于28场次, 法律明白人 至少40名, 执法培训 6次, 调解成功率 98%以上
    assert (t["status"] == "无可比数据").all() and (t["how"] == "none").all()
    assert not t["next_year_report"].any()
