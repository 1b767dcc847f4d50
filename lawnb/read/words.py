"""Word boundaries of Chinese text, from the jieba-rs segmenter (cached per text)."""

from __future__ import annotations

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
