"""What each column of the dataset's tables must hold: one ``Rule`` per column (``RULES``).

Takes nothing; gives the rules ``lawnb.store.validation`` builds its schemas from, for the
reports, sections and facts tables (analysts' corrections and metadata fixes derive theirs):
whether a column may be blank, a number and its bounds, the vocabulary of a code, the shape of
a text (``PATTERNS``), and ``CLEAR``, the word with which an analyst empties a cell.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lawnb.schema import (
    DIMENSIONS,
    GUESSABLE_FIELDS,
    KINDS,
    LEVELS,
    META_FIELDS,
    META_SOURCES,
    OPTIONAL_FACT_COLUMNS,
    OPTIONAL_REPORT_COLUMNS,
    ORIGINS,
    PARTS,
    QUALIFIERS,
)

MAX_VALUE = 10**9  # no figure of a town or department report comes near a billion
# Measures whose figures may be negative (a change in a rate); every other measure is a count.
SIGNED_MEASURES = frozenset({"%", "‰", "个百分点", "百分点"})
ACTIONS = ("edit", "add", "delete")  # what a row of the analysts' corrections does
CLEAR = ("（空）", "(空)")  # in a manual edit row: empty this cell (a blank cell keeps the value)
VOCABULARIES: dict[str, tuple[str, ...]] = {
    "part": tuple(PARTS),
    "dimension": tuple(DIMENSIONS),
    "kind": KINDS,
    "qualifier": QUALIFIERS,
    "origin": ORIGINS,
    "action": ACTIONS,
    "confidence": ("high", "medium", "low"),
    "level": tuple(LEVELS),
}
# Columns a table may lack (datasets saved before they existed): read as blank.
OPTIONAL_COLUMNS: dict[str, tuple[str, ...]] = {
    "reports": OPTIONAL_REPORT_COLUMNS,
    "facts": OPTIONAL_FACT_COLUMNS,
}
# Text columns with a fixed shape: the pattern a cell must match whole, and what to write.
_SOURCES = "|".join(META_SOURCES)
PATTERNS: dict[str, tuple[re.Pattern[str], str]] = {
    "meta_source": (
        re.compile(rf"(?:(?:{'|'.join(META_FIELDS)})=(?:{_SOURCES})(?: |$))+"),
        f"应为以空格分隔的“字段=来源”，字段为 {', '.join(META_FIELDS)}，"
        f"来源为 {', '.join(META_SOURCES)}，如 title=title unit=opening。",
    ),
    "guessed": (
        re.compile(rf"(?:(?:{'|'.join(GUESSABLE_FIELDS)})(?: |$))+"),
        f"应为以空格分隔的字段名（{', '.join(GUESSABLE_FIELDS)}），如 unit year；没有推测的字段时留空。",
    ),
    "sha256": (re.compile(r"[0-9a-f]{64}"), "应为 64 位十六进制的校验码（小写）。"),
}


@dataclass(frozen=True)
class Rule:
    """What one column must hold: kept blank or not, a number, a code of a vocabulary, a link."""

    required: bool = False
    number: str = ""  # "" (text), "float" or "int"
    non_negative: bool = False
    year: bool = False
    vocabulary: str = ""  # a key of VOCABULARIES
    catalog: bool = False  # an indicator id of lawnb/rules/catalog.yaml
    report: bool = False  # a report_id of reports.csv
    clearable: bool = True  # a correction may empty it with （空）
    plausible: bool = False  # a figure no larger than MAX_VALUE
    safe_name: bool = False  # a unit or district name: the rule of lawnb.names.name_problem
    pattern: str = ""  # a key of PATTERNS: the shape the text must have


_INT = Rule(number="int", non_negative=True)
RULES: dict[str, dict[str, Rule]] = {
    "reports": {
        "report_id": Rule(required=True),
        "district": Rule(safe_name=True),
        "unit": Rule(required=True, safe_name=True),
        "level": Rule(),
        "year": Rule(required=True, number="int", year=True),
        "title": Rule(),
        "source": Rule(),
        "sha256": Rule(),
        "n_chars": _INT,
        "meta_source": Rule(pattern="meta_source"),
        "guessed": Rule(pattern="guessed"),
        "confidence": Rule(vocabulary="confidence"),
    },
    "sections": {
        "report_id": Rule(required=True, report=True),
        "path": Rule(required=True),
        "number": Rule(),
        "level": _INT,
        "title": Rule(),
        "part": Rule(vocabulary="part"),
        "dimension": Rule(vocabulary="dimension"),
        "start": _INT,
        "end": _INT,
    },
    "facts": {
        "report_id": Rule(required=True, report=True),
        "fact_id": Rule(required=True),
        "part": Rule(vocabulary="part"),
        "section": Rule(),
        "dimension": Rule(vocabulary="dimension"),
        "indicator": Rule(catalog=True),
        "subject": Rule(required=True),
        "value": Rule(required=True, number="float", plausible=True),
        "measure": Rule(required=True),
        "qualifier": Rule(required=True, vocabulary="qualifier"),
        "kind": Rule(required=True, vocabulary="kind"),
        "of": Rule(),
        "start": _INT,
        "end": _INT,
        "sentence": Rule(),
        "origin": Rule(required=True, vocabulary="origin"),
        "wording": Rule(),
        "review": Rule(),
    },
}
