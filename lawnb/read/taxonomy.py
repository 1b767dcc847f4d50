"""The mandated parts and the ten dimensions, and the data-driven rules that classify text into them.

The rules live in ``lawnb/rules/*.yaml`` so that an analyst can read and extend them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache

from lawnb.errors import LawnbError
from lawnb.ruledata import load_rules
from lawnb.schema import DIMENSIONS, PARTS


@dataclass(frozen=True)
class KeywordRules:
    """Weighted keywords per category, as read from a rules file."""

    weights: dict[str, dict[str, float]]

    def scores(self, text: str, *, max_hits: int = 1) -> dict[str, float]:
        """Total weight of each category's keywords found in ``text``."""
        totals: dict[str, float] = {}
        present = set(text)  # a keyword whose first character is absent cannot occur
        for category, keywords in self.weights.items():
            total = 0.0
            for keyword, weight in keywords.items():
                if keyword[:1] not in present:
                    continue
                hits = text.count(keyword)
                if hits:
                    total += weight * min(hits, max_hits)
            if total:
                totals[category] = total
        return totals

    def best(self, text: str, *, max_hits: int = 1, threshold: float = 0.0) -> str | None:
        """The category with the highest score at or above ``threshold``, or None."""
        totals = self.scores(text, max_hits=max_hits)
        if not totals:
            return None
        category, score = max(totals.items(), key=lambda item: item[1])
        return category if score >= threshold else None


@cache
def part_rules() -> tuple[KeywordRules, str]:
    """The heading → mandated part rules and the default part of an unmatched top-level heading."""
    data = load_rules("parts.yaml")
    unknown = set(data["parts"]) - set(PARTS)
    if unknown:
        raise LawnbError(f"rules/parts.yaml: 未知的部分 {sorted(unknown)}；可用：{list(PARTS)}")
    return KeywordRules(data["parts"]), data.get("default", "measures")


@cache
def dimension_rules() -> tuple[KeywordRules, dict[str, float]]:
    """The text → dimension rules and their scoring settings."""
    data = load_rules("dimensions.yaml")
    unknown = set(data["dimensions"]) - set(DIMENSIONS)
    if unknown:
        raise LawnbError(
            f"rules/dimensions.yaml: 未知的维度 {sorted(unknown)}；可用：{list(DIMENSIONS)}"
        )
    settings = {k: float(data[k]) for k in ("heading_factor", "max_hits", "threshold")}
    return KeywordRules(data["dimensions"]), settings


def classify_part(heading: str) -> str | None:
    """The mandated part a heading names, or None when it names none."""
    rules, _ = part_rules()
    return rules.best(heading)


@lru_cache(maxsize=4096)  # facts of one sentence ask about the same text
def classify_dimension(heading: str, body: str = "") -> str | None:
    """The dimension of a section from its heading (weighted) and its own text, or None."""
    rules, settings = dimension_rules()
    totals: dict[str, float] = {}
    for category, score in rules.scores(heading).items():
        totals[category] = totals.get(category, 0.0) + score * settings["heading_factor"]
    for category, score in rules.scores(body, max_hits=int(settings["max_hits"])).items():
        totals[category] = totals.get(category, 0.0) + score
    if not totals:
        return None
    category, score = max(totals.items(), key=lambda item: item[1])
    return category if score >= settings["threshold"] else None
