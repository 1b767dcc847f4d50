"""Chinese numerals (一, 十二, 三十, 两, 三万) to numbers, through cn2an."""

from __future__ import annotations

import re
from functools import cache

CN_DIGITS = "零〇一二两三四五六七八九十百千万亿"
_SIMPLE = {
    "〇": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
}
_VALID = re.compile(rf"^[{CN_DIGITS}]+$")


@cache
def cn_to_number(text: str) -> float | None:
    """The value of a Chinese numeral, or None when ``text`` is not a well-formed numeral."""
    if not text or not _VALID.match(text):
        return None
    if len(text) == 1:
        return float(_SIMPLE[text]) if text in _SIMPLE else None
    import cn2an

    try:
        return float(cn2an.cn2an(text.replace("两", "二"), "strict"))
    except (ValueError, KeyError, IndexError):
        return None


def ordinal_value(numeral: str) -> int | None:
    """The integer of a heading number written in Chinese or arabic digits (一 → 1, 12 → 12)."""
    if numeral.isdigit():
        return int(numeral)
    value = cn_to_number(numeral)
    return int(value) if value is not None else None
