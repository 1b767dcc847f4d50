"""Numbers and values as Chinese text prints them: ``344``, ``12.5``, ``约800名``, ``≥8``, ``25%``.

The one home of number formatting, used by sentences, tables, charts and messages alike. It
imports nothing heavy, so charts can use it without slowing down their import.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from lawnb.errors import LawnbError
from lawnb.schema import QUALIFIERS

_PREFIX = {"exact": "", "approx": "约", "at_least": "不少于", "at_most": "不超过"}
_SHORT_PREFIX = {"exact": "", "approx": "约", "at_least": "≥", "at_most": "≤"}


def is_missing(x: Any) -> bool:
    """True for None, NaN, pandas NA and the empty string."""
    if x is None:
        return True
    if isinstance(x, str):
        return not x.strip()
    try:
        return bool(x != x)  # NaN is the one value unequal to itself
    except TypeError:  # pandas.NA refuses to be a bool
        return True


def check_qualifier(qualifier: Any) -> str:
    """A qualifier code (blank means ``exact``), or a ``LawnbError`` naming the vocabulary."""
    if is_missing(qualifier):
        return "exact"
    if qualifier not in QUALIFIERS:
        raise LawnbError(
            f"未知的限定词 qualifier={qualifier!r}：应为 {'、'.join(QUALIFIERS)} 之一，"
            "请在事实表的 qualifier 列中更正。"
        )
    return str(qualifier)


def _round_half_up(x: float, digits: int) -> float:
    q = Decimal(1).scaleb(-digits)
    return float(Decimal(repr(float(x))).quantize(q, rounding=ROUND_HALF_UP))


def format_number(value: float, digits: int = 2) -> str:
    """A number as Chinese text prints it: ``344``, ``12.5``, ``0.35``.

    Whole numbers lose their ``.0``; others keep at most ``digits`` decimals (trailing zeros
    dropped). No thousands separators.
    """
    v = _round_half_up(float(value), digits)
    if v == 0:
        return "0"
    text = f"{v:.{digits}f}".rstrip("0").rstrip(".") if digits > 0 else f"{v:.0f}"
    return text


def format_percent(p: float) -> str:
    """A percentage rounded sensibly: one decimal under 10%, whole numbers from 10% on.

    ``format_percent(5.43) == "5.4%"``, ``format_percent(24.6) == "25%"``,
    ``format_percent(0.01) == "不足0.1%"``. The sign is dropped: say 增长 or 下降 around it.
    """
    a = abs(float(p))
    if 0 < a < 0.05:
        return "不足0.1%"
    text = format_number(a, 1) if _round_half_up(a, 1) < 10 else format_number(a, 0)
    return f"{text}%"


def measure_text(measure: Any) -> str:
    """A measure as shown (blank for none)."""
    return "" if is_missing(measure) else str(measure)


# Where a qualifier word stands as the report writes it: 800余名, 98%以上, 不少于8次.
_AFTER_NUMBER = frozenset({"余", "多"})
_AFTER_MEASURE = frozenset({"以上", "及以上", "以下", "以内", "左右"})


def format_value(
    value: float, measure: str | None, qualifier: str | None = "exact", wording: Any = None
) -> str:
    """A value with its measure and qualifier: ``344家次``, ``800余名``, ``不少于8次``, ``95%``.

    ``wording`` is the qualifier as the report wrote it (余, 以上, 不少于 …) and is kept in its
    place; without it, approx → ``约…``, at_least → ``不少于…``, at_most → ``不超过…``.
    """
    q = check_qualifier(qualifier)
    if is_missing(value):
        return "无数据"
    number, unit = format_number(value), measure_text(measure)
    word = "" if is_missing(wording) or q == "exact" else str(wording)
    if word in _AFTER_NUMBER:
        return f"{number}{word}{unit}"
    if word in _AFTER_MEASURE:
        return f"{number}{unit}{word}"
    return f"{word or _PREFIX[q]}{number}{unit}"


def short_value(value: float, qualifier: str | None = "exact") -> str:
    """A value for a chart label, without measure: ``344``, ``约800``, ``≥8``, ``≤5``."""
    q = check_qualifier(qualifier)
    if is_missing(value):
        return "无数据"
    return f"{_SHORT_PREFIX[q]}{format_number(value)}"


def format_values(
    values: Iterable[Any],
    measures: Iterable[Any],
    qualifiers: Iterable[Any],
    wordings: Iterable[Any],
) -> list[str]:
    """``format_value`` down four columns of a table (values, measures, qualifiers, wordings)."""
    return [
        format_value(v, m, q, w)
        for v, m, q, w in zip(values, measures, qualifiers, wordings, strict=True)
    ]
