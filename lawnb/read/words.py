"""Chinese words: boundaries from the jieba-rs segmenter (cached per text), lists as patterns.

Takes text or a list of words from the rule files; gives the words of a text, the offsets
between them, and a word list as a regular-expression alternation.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache


@lru_cache(maxsize=8192)
def words(text: str) -> tuple[str, ...]:
    """``text`` cut into words by the jieba-rs segmenter."""
    import rjieba

    return tuple(rjieba.cut(text))


@lru_cache(maxsize=8192)
def word_bounds(text: str) -> frozenset[int]:
    """The offsets in ``text`` where a word starts or ends."""
    bounds, offset = {0}, 0
    for word in words(text):
        offset += len(word)
        bounds.add(offset)
    return frozenset(bounds)


def alternation(items: Iterable[str], *, longest_first: bool = True) -> str:
    """``items`` as a regex alternation of literal words (no group around it).

    Longest first by default, so that 今年以来 is tried before 今年; ``longest_first=False``
    keeps the list's own order.
    """
    items = [str(item) for item in items]
    if longest_first:
        items = sorted(items, key=len, reverse=True)
    return "|".join(map(re.escape, items))
