"""lawnb.analyse.series: one unit's indicators across years, gaps kept (示例区 demo).

Every expected figure below was read by hand from lawnb/data/demo_reports/*.txt (the report
sentence is quoted next to it), not from the dataset the code reads.
"""

from __future__ import annotations

import pandas as pd

from lawnb.analyse.series import TREND_COLUMNS, trends

try:
    from .comparison_helpers import is_nan
except ImportError:  # pragma: no cover
    from comparison_helpers import is_nan


def test_trends_keep_gaps_as_nan(demo):
    tidy = trends(demo, "东湖镇")
    assert list(tidy.columns) == ["year", "key", "label", "value", "measure", "qualifier"]
    assert list(tidy.columns) == list(TREND_COLUMNS)
    exams = tidy[tidy["key"] == "leadership.law_exams"].set_index("year")
    # "法律知识考试一次" in 2021 and 2023, none in 2022: a NaN row, never 0.
    assert exams.index.tolist() == [2021, 2022, 2023]
    assert exams.loc[2021, "value"] == 1 and exams.loc[2023, "value"] == 1
    assert is_nan(exams.loc[2022, "value"]) and pd.isna(exams.loc[2022, "qualifier"])
    assert exams["label"].unique().tolist() == ["法律知识考试"]

    rounds = tidy[tidy["key"] == "emergencies.testing_rounds"].set_index("year")["value"]
    assert rounds.loc[2021] == 14 and rounds.loc[2022] == 37 and is_nan(rounds.loc[2023])
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
    assert is_nan(training.loc[2020])  # no 2020 report: a gap
    assert training.loc[[2021, 2022, 2023]].tolist() == [3, 5, 5]
    literates = tidy[tidy["key"] == "society.legal_literates"].set_index("year")["value"]
    assert is_nan(literates.loc[2021]) and literates.loc[2022] == 32 and literates.loc[2023] == 43
    assert tidy[tidy["key"] == "不存在的指标"]["value"].isna().all()
    by_label = trends(demo, "东湖镇", indicators="法律明白人")
    assert by_label["key"].unique().tolist() == ["society.legal_literates"]
