"""lawnb.analyse.audit_rules: the audit's rule file, read and checked once."""

from __future__ import annotations

import re

from lawnb.analyse.audit_rules import CODES, SEVERITIES, audit_rules
from lawnb.schema import PARTS


def test_every_finding_has_a_valid_severity_and_a_chinese_message():
    rules = audit_rules()
    assert set(CODES) <= set(rules.findings)
    for code, entry in rules.findings.items():
        assert re.fullmatch(r"[a-z_]+", code)
        assert entry["severity"] in SEVERITIES
        assert re.search(r"[\u4e00-\u9fff]", entry["message"]) and "请" in entry["message"]


def test_parts_and_thresholds():
    rules = audit_rules()
    assert set(rules.mandated) <= set(PARTS) and "other" not in rules.mandated
    assert "next_steps" in rules.must_precede["first_responsible"]
    assert rules.min_measures_facts >= 1 and rules.group_empty_min >= 2


def test_unit_suffix_is_cut_once_at_the_end_only():
    cut = audit_rules().unit_suffix
    assert cut.sub("", "青禾县枫林镇人民政府") == "青禾县枫林镇"
    assert cut.sub("", "城东街道办事处") == "城东街道"
    assert cut.sub("", "人民政府办公室") == "人民政府办公室"  # not at the end: kept
    assert cut.sub("", "某镇人民政府办事处") == "某镇人民政府"  # one ending only


def test_rules_are_read_once():
    assert audit_rules() is audit_rules()
