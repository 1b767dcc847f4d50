"""The fact extractor's rules as read from lawnb/rules/facts.yaml (lawnb.extract.fact_rules)."""

from __future__ import annotations

from lawnb.extract.fact_rules import fact_rules


def test_longer_words_are_tried_first():
    rules = fact_rules()
    raws = [raw for raw, _ in rules.measures]
    assert raws.index("人次") < raws.index("人")
    assert raws.index("万元") < raws.index("元")
    assert list(rules.measure_words) == raws
    assert [len(w) for w in rules.not_measures] == sorted(
        (len(w) for w in rules.not_measures), reverse=True
    )


def test_rules_are_read_once():
    assert fact_rules() is fact_rules()


def test_patterns_built_from_the_word_lists():
    rules = fact_rules()
    assert rules.frequency_rule.search("每季度")
    assert rules.frequency_rule.search("每个月") and not rules.frequency_rule.search("每人")
    assert rules.last_verb.search("组织开展普法").end() == 4  # the last verb wins
    assert rules.opener.match("中本科").group("noun") == ""
    assert not rules.opener.match("中心")  # 中心 is no "among"
    assert rules.opener.match("，其中").group("noun") is None
    assert rules.remainder.search("其余为大专学历").group(2) == "大专学历"
    assert rules.status_lead_time.sub("", "截至目前设置") == "设置"
    assert rules.plan_word.search("力争") and rules.plan_word.search("计划开展")
    assert not rules.plan_word.search("制定计划")  # a document, not a plan
    assert rules.plan_clause.search("将开展") and not rules.plan_clause.search("将其纳入")


def test_same_count_groups_are_sets():
    assert any({"人", "名", "位"} == group for group in fact_rules().same_count)
