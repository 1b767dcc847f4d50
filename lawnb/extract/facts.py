"""``Report`` → facts table: every figure with its value, measure, qualifier, kind and evidence.

Takes a ``Report`` (``lawnb.read.reader``); gives one row per figure with the DESIGN.md facts
columns: the figure as read (``lawnb.extract.fact_numbers``), its subject
(``lawnb.extract.fact_subjects``), its kind and the parts of a stated whole
(``lawnb.extract.fact_kinds``), the section, dimension and catalogued indicator it belongs to,
and the sentence it was read from. The word lists (measures, qualifiers, fixed phrases, cues)
live in ``lawnb/rules/facts.yaml``.
"""

from __future__ import annotations

import hashlib
from typing import Any

import pandas as pd

from lawnb.extract.catalog import match_indicator
from lawnb.extract.clauses import sentence_end, sentence_start
from lawnb.extract.fact_kinds import compositions
from lawnb.extract.fact_numbers import NUMBER, Fact, fixed_phrase_spans, read_number, repeats
from lawnb.extract.fact_subjects import with_subjects
from lawnb.extract.subjects import subject_problems
from lawnb.read.reader import Report
from lawnb.read.taxonomy import classify_dimension
from lawnb.schema import FACT_COLUMNS


def extract_facts(report: Report) -> pd.DataFrame:
    """Every quantitative fact of a report, one row each, with the DESIGN.md facts columns."""
    text = report.plain  # simplified characters: 7個 counts as 7个
    first = report.sections[0].start if report.sections else len(text)
    facts = text_facts(text, start=min(report.body_start, first))
    rows = [_row(report, fact) for fact in facts]
    wholes = {row["subject"]: row["dimension"] for row in rows if row["kind"] != "composition"}
    for row in rows:
        if row["kind"] == "composition" and row["of"] in wholes:
            row["dimension"] = wholes[row["of"]]
    frame = pd.DataFrame(rows, columns=list(FACT_COLUMNS))
    return frame


def text_facts(text: str, *, start: int = 0) -> list[Fact]:
    """The figures of ``text`` from offset ``start``: read, given subjects, repeats dropped,
    parts of a stated whole marked (compositions)."""
    fixed_spans = fixed_phrase_spans(text)
    facts: list[Fact] = []
    for match in NUMBER.finditer(text, pos=start):
        fact = read_number(text, match, fixed_spans)
        if fact is None or repeats(text, fact, facts):
            continue
        facts.extend(with_subjects(text, fact, facts[-1] if facts else None))
    return compositions(text, facts)


def _around(text: str, fact: Fact) -> str:
    """The words around a figure, where its subject was read (before it, or right after)."""
    return text[max(0, fact.start - 40) : fact.end + 30]


def _row(report: Report, fact: Fact) -> dict[str, Any]:
    section = report.section_at(fact.start)
    part = section.part if section else None
    kind = fact.kind
    if part == "next_steps" and fact.origin == "extracted" and kind not in ("composition",):
        kind = "target"
    start = sentence_start(report.plain, fact.start)
    end = min(sentence_end(report.plain, fact.end) + 1, len(report.text))
    sentence = report.text[start:end].strip()
    indicator = match_indicator(fact.subject, fact.measure, sentence)
    dimension = (
        (indicator.dimension if indicator else None)
        or classify_dimension("", sentence)
        or (section.dimension if section else None)
    )
    section_path = section.path if section else ""
    key = f"{report.report_id}|{section_path}|{fact.subject}|{fact.measure}|{fact.start}|{fact.origin}"
    return {
        "report_id": report.report_id,
        "fact_id": "F" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:10],
        "part": part,
        "section": section_path,
        "dimension": dimension,
        "indicator": indicator.id if indicator else None,
        "subject": fact.subject,
        "value": float(fact.value),
        "measure": fact.measure,
        "qualifier": fact.qualifier,
        "kind": kind,
        "of": fact.of or None,
        "start": fact.start,
        "end": fact.end,
        "sentence": sentence,
        "origin": fact.origin,
        # A subject the rules could not make whole words: an analyst checks it (待核).
        "wording": fact.wording or None,
        "review": "subject"
        if subject_problems(fact.subject, _around(report.plain, fact))
        else None,
    }
