"""The fact extractor's rules: ``lawnb/rules/facts.yaml`` read once into lists and patterns.

Takes nothing; gives ``fact_rules()``, the word lists the extractor's modules
(``fact_numbers``, ``fact_subjects``, ``fact_kinds``) read, sorted as they are tried (longest
first where a longer word must win), and the patterns built from them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from lawnb.read.words import alternation
from lawnb.ruledata import load_rules

LEADING_CN = "一二两三四五六七八九十"  # what a Chinese numeral starts with
HAN = r"\u4e00-\u9fff"  # the common Chinese characters, for character classes
ARABIC = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"  # 1,280 or 3.5 or 12


@dataclass(frozen=True)
class FactRules:
    """Everything in facts.yaml, as the extractor uses it (see the file for each list)."""

    measures: list[tuple[str, str]]
    measure_words: tuple[str, ...]
    single_one: frozenset[str]
    before: list[tuple[str, str]]
    after: list[tuple[str, str]]
    not_measures: tuple[str, ...]
    fixed: tuple[str, ...]
    frequency: tuple[str, ...]
    status_before: tuple[str, ...]
    status_anywhere: tuple[str, ...]
    status_scope: tuple[str, ...]
    status_subjects: tuple[str, ...]
    status_after: tuple[str, ...]
    achievement_verbs: tuple[str, ...]
    subject_stops: tuple[str, ...]
    subject_prefixes: tuple[str, ...]
    clause_qualifiers: tuple[str, ...]
    abstract_nouns: tuple[str, ...]
    plan_word: re.Pattern[str]
    plan_clause: re.Pattern[str]
    rank_before: tuple[str, ...]
    place_after: tuple[str, ...]
    framing_after_one: tuple[str, ...]
    status_rates: tuple[str, ...]
    covered_before: tuple[str, ...]
    achievement_after: tuple[str, ...]
    status_lead: tuple[str, ...]
    subject_trailing: tuple[str, ...]
    frequency_measures: frozenset[str]
    decrease_before: tuple[str, ...]
    session_words: tuple[str, ...]
    status_opening: tuple[str, ...]
    not_count_after_chinese: str
    not_count_after_arabic: str
    negations: tuple[str, ...]
    qualifiers_before_measure: tuple[str, ...]
    split_measures: frozenset[str]
    signed_measures: frozenset[str]
    never_status_measures: frozenset[str]
    people_like_measures: frozenset[str]
    same_count: tuple[frozenset[str], ...]
    frequency_rule: re.Pattern[str]
    last_verb: re.Pattern[str]
    generic_heads: frozenset[str]
    date_cutoffs: re.Pattern[str]
    subject_after_trailing: re.Pattern[str]
    next_count: re.Pattern[str]
    shared_listing: re.Pattern[str]
    shared_conjunctions: tuple[str, ...]
    shared_endings: tuple[str, ...]
    opener: re.Pattern[str]
    remainder: re.Pattern[str]
    remainder_label_end: re.Pattern[str]
    status_lead_time: re.Pattern[str]


def _in_order(words: list[str]) -> str:
    return alternation(words, longest_first=False)


@cache
def fact_rules() -> FactRules:
    """The rules of ``lawnb/rules/facts.yaml``, read and compiled once per process."""
    data = load_rules("facts.yaml")
    plan_word, plan_clause = _plan_patterns(data)

    def longest_first(mapping: dict[str, str]) -> list[tuple[str, str]]:
        return sorted(((str(k), str(v)) for k, v in mapping.items()), key=lambda kv: -len(kv[0]))

    return FactRules(
        measures=longest_first(data["measures"]),
        measure_words=tuple(raw for raw, _ in longest_first(data["measures"])),
        single_one=frozenset(data["single_one_measures"]),
        before=longest_first(data["qualifiers_before"]),
        after=longest_first(data["qualifiers_after"]),
        not_measures=tuple(sorted(data["not_measures"], key=len, reverse=True)),
        fixed=tuple(data["fixed_phrases"]),
        frequency=tuple(data["frequency_words"]),
        status_before=tuple(data["status_before"]),
        status_anywhere=tuple(data["status_anywhere"]),
        status_scope=tuple(data["status_scope"]),
        status_subjects=tuple(data["status_subjects"]),
        status_after=tuple(data["status_after"]),
        achievement_verbs=tuple(data["achievement_verbs"]),
        subject_stops=tuple(sorted(data["subject_stops"], key=len, reverse=True)),
        subject_prefixes=tuple(sorted(data["subject_prefixes"], key=len, reverse=True)),
        clause_qualifiers=tuple(data["clause_qualifiers"]),
        abstract_nouns=tuple(data["abstract_nouns"]),
        plan_word=plan_word,
        plan_clause=plan_clause,
        rank_before=tuple(data["rank_before"]),
        place_after=tuple(data["place_after"]),
        framing_after_one=tuple(data["framing_after_one"]),
        status_rates=tuple(data["status_rates"]),
        covered_before=tuple(data["covered_before"]),
        achievement_after=tuple(data["achievement_after"]),
        status_lead=tuple(data["status_lead"]),
        subject_trailing=tuple(data["subject_trailing"]),
        frequency_measures=frozenset(data["frequency_measures"]),
        decrease_before=tuple(data["decrease_before"]),
        session_words=tuple(data["session_words"]),
        status_opening=tuple(data["status_opening"]),
        not_count_after_chinese=str(data["not_count_after_chinese"]),
        not_count_after_arabic=str(data["not_count_after_arabic"]),
        negations=tuple(data["negations"]),
        qualifiers_before_measure=tuple(data["qualifiers_before_measure"]),
        split_measures=frozenset(data["split_measures"]),
        signed_measures=frozenset(data["signed_measures"]),
        never_status_measures=frozenset(data["never_status_measures"]),
        people_like_measures=frozenset(data["people_like_measures"]),
        same_count=tuple(frozenset(group) for group in data["same_count"]),
        frequency_rule=re.compile(rf"每(?:个|一)?(?:{_in_order(data['frequency_units'])})"),
        last_verb=re.compile(rf".*({_in_order(data['counting_verbs'])})"),
        generic_heads=frozenset(data["generic_heads"]),
        date_cutoffs=re.compile(rf"\d{{1,2}}月(\d{{1,2}}日)?|{_in_order(data['date_cutoffs'])}"),
        subject_after_trailing=re.compile(rf"({_in_order(data['subject_after_trailing'])}|，)$"),
        next_count=re.compile(rf"{ARABIC}|[{LEADING_CN}]+(?:{_in_order(data['counted_after'])})"),
        shared_listing=re.compile(
            rf"((?:[{HAN}]{{1,10}}(?:、|{_in_order(data['shared_conjunctions'])}))+[{HAN}]{{1,10}}?)"
            rf"(?:{_in_order(data['shared_adverbs'])})?(?:{_in_order(data['shared_links'])})?$"
        ),
        shared_conjunctions=tuple(data["shared_conjunctions"]),
        shared_endings=tuple(data["shared_endings"]),
        opener=re.compile(
            rf"(?P<noun>[{HAN}（）]{{0,8}}?)中(?!{_in_order([w[1:] for w in data['not_among']])})"
            r"[，,：]?|[，,。；]?其中[，,：]?"
        ),
        remainder=re.compile(
            rf"({_in_order(data['remainder_words'])})(?:{_in_order(data['remainder_heads'])})?"
            rf"(?:{_in_order(data['remainder_links'])})?([^，。；\n]{{1,20}})"
        ),
        remainder_label_end=re.compile(rf"({_in_order(data['remainder_label_endings'])})$"),
        status_lead_time=re.compile(rf"^(?:{_in_order(data['status_lead_time'])})"),
    )


def _plan_patterns(data: dict[str, Any]) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The plan cues of facts.yaml as two patterns: in the sentence, at the clause start."""
    not_after = "".join(f"(?<!{re.escape(w)})" for w in data["plan_verb_not_after"])
    not_before = "|".join(map(re.escape, data["plan_verb_not_before"]))
    verb = f"{not_after}{re.escape(data['plan_verb'])}(?![\\d{LEADING_CN}]|{not_before})"
    word = re.compile(f"{verb}|{alternation(data['plan_words'])}")
    opening = re.escape(data["plan_clause_word"])
    clause = re.compile(
        f"^(?:[^，；]{{0,4}}){opening}(?!{alternation(data['plan_clause_not_before'])})"
    )
    return word, clause
