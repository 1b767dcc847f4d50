"""The rules of the structure audit, read from ``lawnb/rules/audit.yaml`` and checked once.

Takes nothing but the rule file; gives ``audit_rules()``, the mandated parts, their order, the
thresholds, the unit-name suffixes a title may leave out, and the severity and Chinese message
of every finding code (``CODES``). A broken rule file raises a ``LawnbError`` naming the entry
to fix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from lawnb.errors import LawnbError
from lawnb.ruledata import load_rules
from lawnb.schema import PARTS

SEVERITIES: tuple[str, ...] = ("error", "warning", "info")
# Every finding code; each has its severity and message in lawnb/rules/audit.yaml.
CODES: tuple[str, ...] = (
    "missing_part",
    "empty_part",
    "no_sections",
    "part_order",
    "nested_part",
    "empty_section",
    "empty_subsections",
    "numbering_gap",
    "numbering_repeat",
    "numbering_restart",
    "numbering_style",
    "heading_year",
    "measures_without_figures",
    "next_steps_without_target",
    "missing_title",
    "title_without_unit",
    "title_without_year",
    "missing_unit",
    "missing_year",
)


@dataclass(frozen=True)
class AuditRules:
    """The contents of ``lawnb/rules/audit.yaml``, checked and ready to use."""

    mandated: tuple[str, ...]
    must_precede: dict[str, frozenset[str]]
    min_measures_facts: int
    min_next_steps_targets: int
    content_marks: str
    content_min_chars: int
    paragraph_endings: str
    group_empty_min: int
    unit_suffix: re.Pattern[str]
    findings: dict[str, dict[str, str]]


@cache
def audit_rules() -> AuditRules:
    """The audit rules read from ``lawnb/rules/audit.yaml`` (checked once, then cached)."""
    data = load_rules("audit.yaml")
    named = set(data["mandated_parts"]) | set(data["must_precede"])
    for later in data["must_precede"].values():
        named |= set(later)
    unknown = named - set(PARTS)
    if unknown:
        raise LawnbError(
            f"lawnb/rules/audit.yaml: 未知的部分 {sorted(unknown)}；可用：{list(PARTS)}"
        )
    findings = {str(code): dict(entry) for code, entry in data["findings"].items()}
    absent = [code for code in CODES if code not in findings]
    if absent:
        raise LawnbError(f"lawnb/rules/audit.yaml: findings 缺少 {absent}，每个代码都需要一项。")
    for code, entry in findings.items():
        if entry.get("severity") not in SEVERITIES or not entry.get("message"):
            raise LawnbError(
                f"lawnb/rules/audit.yaml: findings.{code} 需要 severity（{'/'.join(SEVERITIES)}）"
                "和 message 两项。"
            )
    suffixes = "|".join(re.escape(str(word)) for word in data["unit_suffixes"])
    return AuditRules(
        mandated=tuple(data["mandated_parts"]),
        must_precede={k: frozenset(v) for k, v in data["must_precede"].items()},
        min_measures_facts=int(data["min_measures_facts"]),
        min_next_steps_targets=int(data["min_next_steps_targets"]),
        content_marks=str(data["content_marks"]),
        content_min_chars=int(data["content_min_chars"]),
        paragraph_endings=str(data["paragraph_endings"]),
        group_empty_min=int(data["group_empty_min"]),
        unit_suffix=re.compile(f"({suffixes})$"),
        findings=findings,
    )
