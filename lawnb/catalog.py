"""The indicator catalogue: stable ids for common figures, and matching facts to them."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import pandas as pd

from lawnb.errors import LawnbError
from lawnb.ruledata import load_rules
from lawnb.schema import DIMENSIONS


@dataclass(frozen=True)
class Indicator:
    """One catalogued indicator, e.g. ``enforcement.rectification_notices`` (责令整改通知书, 份)."""

    id: str
    name: str
    measures: tuple[str, ...]
    dimension: str
    keywords: tuple[str, ...]
    excluded: tuple[str, ...] = ()

    def matches(self, subject: str, measure: str) -> bool:
        """True when a fact with this subject and measure is this indicator."""
        return (
            measure in self.measures
            and any(k in subject for k in self.keywords)
            and not any(k in subject for k in self.excluded)
        )


@cache
def indicators() -> tuple[Indicator, ...]:
    """All catalogued indicators, in matching order."""
    data = load_rules("catalog.yaml")
    out = []
    for entry in data["indicators"]:
        if entry["dimension"] not in DIMENSIONS:
            raise LawnbError(
                f"rules/catalog.yaml: 指标 {entry['id']} 的维度 {entry['dimension']!r} 未知。"
            )
        out.append(
            Indicator(
                id=entry["id"],
                name=entry["name"],
                measures=tuple(str(m) for m in entry["measures"]),
                dimension=entry["dimension"],
                keywords=tuple(entry["keywords"]),
                excluded=tuple(entry.get("not", ())),
            )
        )
    ids = [i.id for i in out]
    if len(ids) != len(set(ids)):
        raise LawnbError("rules/catalog.yaml: 指标 id 重复。")
    return tuple(out)


@cache
def _by_id() -> dict[str, Indicator]:
    return {indicator.id: indicator for indicator in indicators()}


def get_indicator(indicator_id: str) -> Indicator | None:
    """The catalogued indicator with this id, or None."""
    return _by_id().get(indicator_id)


def match_indicator(subject: str, measure: str, sentence: str = "") -> Indicator | None:
    """The first catalogued indicator that a fact's subject and measure match, or None."""
    del sentence  # subjects alone decide: a sentence mentions too much to be reliable
    for indicator in indicators():
        if indicator.matches(subject or "", measure or ""):
            return indicator
    return None


def catalog_table() -> pd.DataFrame:
    """The catalogue as a table (id, name, measures, dimension, keywords)."""
    return pd.DataFrame(
        [
            {
                "id": i.id,
                "name": i.name,
                "measures": "、".join(i.measures),
                "dimension": i.dimension,
                "keywords": "、".join(i.keywords),
            }
            for i in indicators()
        ]
    )
