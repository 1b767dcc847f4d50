"""Kinds and compositions: which figures are parts of a stated whole, and what each figure is.

Takes the simplified-character text and its facts in reading order (with subjects); gives
them with parts of a whole marked (``composition``, ``of`` the whole: 40人中本科12人…), the
rest of a whole named only in words added (``derived``: 其余为初中学历), and every other
figure's kind: ``target`` (a plan or promise), ``status`` (a standing count) or
``achievement`` (the year's work). The words are data: ``lawnb/rules/facts.yaml``.
"""

from __future__ import annotations

import re

from lawnb.extract.clauses import (
    CLAUSE_END,
    clause_end,
    clause_start,
    last_mark_before,
    sentence_end,
    sentence_start,
)
from lawnb.extract.fact_numbers import Fact, same_count
from lawnb.extract.fact_rules import FactRules, fact_rules
from lawnb.extract.fact_subjects import clean_before


def compositions(text: str, facts: list[Fact]) -> list[Fact]:
    """Mark parts of a stated whole ("40人中本科12人…", "…412件，…，其中…70余件") and add remainders.

    Then every fact still an achievement gets its kind (``kind_of``).
    """
    rules = fact_rules()
    derived: list[Fact] = []
    taken: set[int] = set()
    for index, fact in enumerate(facts):
        opener = rules.opener.match(text, fact.end)
        if not opener or index in taken:
            continue
        parts_end = sentence_end(text, opener.end())
        following = [f for f in facts[index + 1 :] if f.start < parts_end]
        if not following or (
            opener.group("noun") is not None and following[0].start - opener.end() > 14
        ):
            continue
        candidates = [fact]
        if opener.group("noun") is None:  # 其中 refers back to the sentence's first such figure
            start = sentence_start(text, fact.start)
            candidates = [f for f in facts[: index + 1] if f.start >= start]
        whole = next((c for c in candidates if same_count(c.measure, following[0].measure)), None)
        if whole is None:
            continue
        parts = []
        for part in following:
            if not same_count(part.measure, whole.measure):
                break
            parts.append(part)
        if opener.group("noun"):
            whole.subject = opener.group("noun")
        if whole.measure in rules.people_like_measures and whole.kind == "achievement":
            whole.kind = "status"
        for part in parts:
            taken.add(facts.index(part))
            part.kind, part.of = "composition", whole.subject
            part_start = max(_part_start(text, part), opener.end())
            part.subject = clean_before(text[part_start : part.start]) or part.subject
        derived.extend(_remainder(text, whole, parts, parts_end))
    out = sorted(facts + derived, key=lambda f: (f.start, f.origin != "extracted"))
    for fact in out:
        if fact.kind == "achievement":
            fact.kind = kind_of(text, fact, rules)
    return out


def _remainder(text: str, whole: Fact, parts: list[Fact], end: int) -> list[Fact]:
    """The rest of a whole that the report names only in words ("其余为初中学历")."""
    rules = fact_rules()
    remainder = whole.value - sum(p.value for p in parts)
    rest = rules.remainder.search(text[parts[-1].end : end])
    if not rest or remainder <= 0 or any(p.qualifier != "exact" for p in [*parts, whole]):
        return []
    label = rules.remainder_label_end.sub("", rest.group(2)) or rest.group(2)
    start = parts[-1].end + rest.start()
    return [
        Fact(
            start,
            parts[-1].end + rest.end(),
            remainder,
            parts[-1].measure,
            "exact",
            label,
            "composition",
            whole.subject,
            "derived",
        )
    ]


def _part_start(text: str, fact: Fact) -> int:
    return max(last_mark_before(text, fact.start, CLAUSE_END + "、"), 0) + 1


def kind_of(text: str, fact: Fact, rules: FactRules) -> str:
    """target, status or achievement: what the words around a figure say it is."""
    sentence = text[sentence_start(text, fact.start) : fact.start]
    if _plans(sentence, text[clause_start(text, fact.start) : fact.start]):
        return "target"
    if fact.subject.endswith(rules.status_rates):
        return "status"  # 持证率, 配备率: the share of a standing stock
    if fact.measure in rules.never_status_measures:
        return "achievement"
    segment = text[max(fact.segment_start, clause_start(text, fact.start)) : fact.start]
    after = text[fact.end : clause_end(text, fact.end)]
    if segment.endswith(rules.covered_before) or any(w in after for w in rules.achievement_after):
        return "achievement"  # 对102个领导班子进行考评, 6个村获评…: what the year's work reached
    opening = text[sentence_start(text, fact.start) :][:6]
    if opening.startswith(rules.status_opening):
        return "status"  # "目前，全镇已建起7个…": a standing count, stated as of now
    lead = rules.status_lead_time.sub("", segment)
    if lead.startswith(rules.status_lead):
        return "status"  # 设置…等6个窗口: what stands, set up before or during the year
    if (
        segment.endswith(rules.status_before)
        or any(cue in segment for cue in rules.status_anywhere)
        or any(word in after for word in rules.status_after)
    ):
        return "status"
    scoped = any(cue in segment for cue in rules.status_scope)
    head = fact.subject.rstrip("）)")
    standing = any(head.endswith(word.rstrip("）)")) for word in rules.status_subjects)
    if (scoped or standing) and not any(verb in segment for verb in rules.achievement_verbs):
        return "status"
    return "achievement"


def _plans(sentence: str, clause: str) -> bool:
    """True when a sentence speaks of a plan or promise (计划…, 力争, 确保, 将…).

    Words inside a cited document's title (《…行动计划》) are not the report's own plans.
    """
    rules = fact_rules()
    sentence = re.sub(r"《[^》]*》", "《》", sentence)
    clause = re.sub(r"《[^》]*》", "《》", clause)
    return bool(rules.plan_word.search(sentence) or rules.plan_clause.search(clause))
