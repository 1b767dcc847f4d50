"""lawnb.analyse.matching: subject normalisation, indicator keys and the pairing of two reports."""

from __future__ import annotations

import pandas as pd
import pytest

from lawnb.analyse.matching import (
    Pairing,
    check_unit,
    first_per_key,
    indicator_key,
    key_label,
    keyed_facts,
    normalize_subject,
    pair_key,
    result_facts,
    subject_rules,
    unit_results,
)
from lawnb.errors import DatasetError


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


def test_missing_subjects_normalise_to_nothing():
    assert [normalize_subject(x) for x in (None, float("nan"), pd.NA, "", " \u3000")] == [""] * 5


def test_word_lists_come_from_the_rule_file():
    rules = subject_rules()
    assert rules is subject_rules()  # read once
    assert rules.leading[0] == "全年共" and rules.leading[-1] == "共"  # longest first
    assert "新增" not in rules.leading and "累计" not in rules.leading
    assert rules.not_before == {"共": "建同享治商识"}
    assert rules.min_length == 2
    assert rules.blanks_and_quotes.sub("", "“法律 进村”《活动》") == "法律进村活动"


def _facts(**columns: list) -> pd.DataFrame:
    n = len(next(iter(columns.values())))
    base = {
        "report_id": ["区/镇/2022"] * n,
        "indicator": [pd.NA] * n,
        "subject": [pd.NA] * n,
        "value": [1.0] * n,
        "measure": ["次"] * n,
        "kind": ["achievement"] * n,
        "of": [pd.NA] * n,
        "origin": ["extracted"] * n,
    }
    return pd.DataFrame({**base, **columns})


def test_results_leave_out_targets_parts_derived_rows_and_blanks():
    facts = _facts(
        subject=["执法培训", "普法活动", "本科", "合计人员", "调解纠纷", "考试"],
        kind=["achievement", "target", "composition", "status", "achievement", "status"],
        of=[pd.NA, pd.NA, "学历", pd.NA, pd.NA, pd.NA],
        origin=["extracted", "extracted", "extracted", "derived", "extracted", "manual"],
        value=[3.0, 4.0, 5.0, 6.0, float("nan"), 1.0],
    )
    assert result_facts(facts)["key"].tolist() == ["执法培训", "考试"]


def test_keyed_facts_label_ids_by_catalogue_name_and_blank_measures():
    facts = _facts(
        indicator=["enforcement.staff_training", pd.NA, pd.NA],
        subject=["组织执法人员培训", "开展普法宣传活动", pd.NA],
        measure=["次", pd.NA, "次"],
    )
    keyed = keyed_facts(facts)
    assert keyed["key"].tolist() == ["enforcement.staff_training", "普法宣传活动"]
    assert keyed["how"].tolist() == ["indicator", "subject"]
    assert keyed["label"].tolist() == ["执法人员培训", "普法宣传活动"]
    assert keyed["measure"].tolist() == ["次", ""]
    assert key_label("no.such_indicator", "indicator") == "no.such_indicator"
    assert key_label("普法宣传活动", "subject") == "普法宣传活动"


def test_first_per_key_counts_repeats():
    keyed = keyed_facts(_facts(subject=["执法培训", "执法培训", "普法活动"], value=[3.0, 9.0, 1.0]))
    first = first_per_key(keyed)
    assert first["value"].tolist() == [3.0, 1.0] and first["n"].tolist() == [2, 1]
    assert first_per_key(keyed.iloc[0:0]).empty


def test_unit_results_of_a_missing_year_are_empty(demo):
    assert unit_results(demo, "东湖镇", 1999).empty
    assert not unit_results(demo, "东湖镇", 2022).empty


def _pairing_goals(results: pd.DataFrame, goals: pd.DataFrame) -> list[str]:
    pairing = Pairing(keyed_facts(results))
    return [pairing.find(g)[1] for g in keyed_facts(goals).to_dict("records")]


def test_pairing_by_catalogue_id_and_measure():
    results = _facts(
        indicator=["enforcement.staff_training", "society.publicity_events"],
        subject=["执法人员业务培训", "法律进村活动"],
        measure=["次", "场"],
    )
    goals = _facts(
        indicator=["enforcement.staff_training", "society.publicity_events", "functions.x"],
        subject=["组织执法人员培训", "普法活动", "法律进村活动"],  # worded differently
        measure=["次", "场次", "场"],
    )
    # Same id and measure; same id in another measure; another id with the same subject.
    assert _pairing_goals(results, goals) == ["indicator", "none", "none"]


def test_pairing_by_subject_when_no_fact_has_an_id():
    results = _facts(subject=["普法宣传活动", "调解纠纷"], measure=["场次", "件"])
    goals = _facts(
        subject=["开展普法宣传活动", "调解纠纷", "某乙工作"], measure=["场次", "次", "件"]
    )
    assert _pairing_goals(results, goals) == ["subject", "none", "none"]
    pairing = Pairing(keyed_facts(results))
    goal = keyed_facts(goals).to_dict("records")[0]
    pairing.used.add(0)  # a result taken (year on year pairs one to one)
    assert pairing.by_subject(goal) is None


def test_facts_without_ids_never_pair_by_indicator_beside_facts_with_ids():
    results = _facts(
        indicator=["functions.enterprise_inspections", pd.NA], subject=["检查企业", "某甲工作"]
    )
    goals = _facts(
        indicator=["functions.enterprise_inspections", pd.NA], subject=["检查企业", "某乙工作"]
    )
    assert _pairing_goals(results, goals) == ["indicator", "none"]


def test_pair_key_prefers_a_catalogue_id():
    a = {"id": None, "key": "普法宣传活动", "label": "普法宣传活动"}
    b = {"id": "society.publicity_events", "key": "society.publicity_events", "label": "x"}
    assert pair_key(a, None) == ("普法宣传活动", "普法宣传活动")
    assert pair_key(a, b)[0] == "society.publicity_events"


def test_check_unit_names_the_units(demo):
    with pytest.raises(DatasetError, match="东湖镇"):
        check_unit(demo, "不存在的镇")
