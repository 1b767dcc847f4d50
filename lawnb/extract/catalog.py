"""The indicator catalogue: stable ids for common figures, and matching facts to them.

The catalogue is data (``lawnb/rules/catalog.yaml``). A fact gets the first indicator, in the
file's order, that lists the fact's measure, has a keyword in the fact's subject and none of
its ``not`` words, and, when the indicator has ``context`` words, whose sentence holds one of
them. A keyword ``A*B`` stands for "A, then B further on" (``审*合同`` matches 审查各类合同).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import pandas as pd

from lawnb.errors import LawnbError
from lawnb.ruledata import load_rules
from lawnb.schema import DIMENSIONS

__all__ = [
    "Indicator",
    "catalog_table",
    "get_indicator",
    "indicators",
    "match_indicator",
]

_CATALOG = "lawnb/rules/catalog.yaml"
_ID = re.compile(r"^([a-z]+)\.[a-z][a-z0-9_]*$")
_FIELDS = ("id", "name", "measures", "dimension", "keywords")
_OPTIONAL = ("not", "context")


def _pattern(words: tuple[str, ...]) -> re.Pattern[str] | None:
    """One regular expression for a list of keywords; ``*`` inside a keyword is "anything"."""
    if not words:
        return None
    alternatives = (".*?".join(re.escape(part) for part in word.split("*")) for word in words)
    return re.compile("|".join(f"(?:{a})" for a in alternatives))


@dataclass(frozen=True)
class Indicator:
    """One catalogued indicator, e.g. ``enforcement.rectification_notices`` (a label and a measure)."""

    id: str
    name: str
    measures: tuple[str, ...]
    dimension: str
    keywords: tuple[str, ...]
    excluded: tuple[str, ...] = ()
    context: tuple[str, ...] = ()
    _keywords: re.Pattern[str] | None = field(default=None, init=False, repr=False, compare=False)
    _excluded: re.Pattern[str] | None = field(default=None, init=False, repr=False, compare=False)
    _context: re.Pattern[str] | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_keywords", _pattern(self.keywords))
        object.__setattr__(self, "_excluded", _pattern(self.excluded))
        object.__setattr__(self, "_context", _pattern(self.context))

    def mentions(self, text: str) -> bool:
        """True when ``text`` (a subject or a table label) names this indicator.

        One keyword at least is in the text (``A*B``: A, then B further on) and no ``not``
        word is.
        """
        text = text or ""
        return (
            self._keywords is not None
            and self._keywords.search(text) is not None
            and (self._excluded is None or self._excluded.search(text) is None)
        )

    def matches(self, subject: str, measure: str, sentence: str | None = None) -> bool:
        """True when a fact with this subject, measure (and sentence) is this indicator.

        ``context`` words, when the indicator has some, must appear in the sentence; without a
        sentence (``None``) they are not checked.
        """
        if measure not in self.measures or not self.mentions(subject):
            return False
        if self._context is None or sentence is None:
            return True
        return self._context.search(sentence) is not None


def _strings(entry: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = entry.get(key, ())
    if isinstance(value, str) or not isinstance(value, list | tuple):
        raise LawnbError(f"{_CATALOG}: {where} 的 {key} 应为列表，例如 [{key}1, {key}2]。")
    items = tuple(str(v) for v in value)
    if any(not item.strip() or item.strip("*") != item for item in items):
        raise LawnbError(f"{_CATALOG}: {where} 的 {key} 中有空词或以 * 开头、结尾的词。")
    return items


def _indicator(entry: object, number: int) -> Indicator:
    where = f"第 {number} 个指标"
    if not isinstance(entry, dict):
        raise LawnbError(f"{_CATALOG}: {where} 应为映射（{{id: …, name: …}}）。")
    missing = [key for key in _FIELDS if not entry.get(key)]
    if missing:
        raise LawnbError(f"{_CATALOG}: {where} 缺少 {'、'.join(missing)}。")
    unknown = sorted(set(entry) - set(_FIELDS) - set(_OPTIONAL))
    if unknown:
        raise LawnbError(
            f"{_CATALOG}: {where}（{entry['id']}）有未知字段 {'、'.join(unknown)}；"
            f"可用字段：{'、'.join(_FIELDS + _OPTIONAL)}。"
        )
    ident, dimension = str(entry["id"]), str(entry["dimension"])
    where = f"指标 {ident}"
    if dimension not in DIMENSIONS:
        raise LawnbError(f"{_CATALOG}: {where} 的维度 {dimension!r} 未知。")
    found = _ID.match(ident)
    if found is None or found.group(1) != dimension:
        raise LawnbError(
            f"{_CATALOG}: {where} 的编号应为“维度.英文小写名”，且以其维度 {dimension} 开头。"
        )
    return Indicator(
        id=ident,
        name=str(entry["name"]),
        measures=_strings(entry, "measures", where),
        dimension=dimension,
        keywords=_strings(entry, "keywords", where),
        excluded=_strings(entry, "not", where),
        context=_strings(entry, "context", where),
    )


@cache
def indicators() -> tuple[Indicator, ...]:
    """All catalogued indicators, in matching order."""
    entries = load_rules("catalog.yaml").get("indicators")
    if not isinstance(entries, list) or not entries:
        raise LawnbError(f"{_CATALOG}: 缺少 indicators 列表。")
    out = tuple(_indicator(entry, n) for n, entry in enumerate(entries, start=1))
    ids = [i.id for i in out]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise LawnbError(f"{_CATALOG}: 指标 id 重复：{'、'.join(repeated)}。")
    return out


@cache
def _by_id() -> dict[str, Indicator]:
    return {indicator.id: indicator for indicator in indicators()}


def get_indicator(indicator_id: str) -> Indicator | None:
    """The catalogued indicator with this id, or None."""
    return _by_id().get(indicator_id)


def match_indicator(subject: str, measure: str, sentence: str | None = None) -> Indicator | None:
    """The first catalogued indicator that a fact's subject and measure match, or None.

    The subject decides; the sentence is only read for indicators with ``context`` words
    (e.g. education levels count the enforcement team only when the sentence is about it).
    """
    subject, measure = subject or "", measure or ""
    for indicator in indicators():
        if indicator.matches(subject, measure, sentence):
            return indicator
    return None


def catalog_table() -> pd.DataFrame:
    """The catalogue as a table (id, name, measures, dimension, keywords, not, context)."""
    return pd.DataFrame(
        [
            {
                "id": i.id,
                "name": i.name,
                "measures": "、".join(i.measures),
                "dimension": i.dimension,
                "keywords": "、".join(i.keywords),
                "not": "、".join(i.excluded),
                "context": "、".join(i.context),
            }
            for i in indicators()
        ]
    )
