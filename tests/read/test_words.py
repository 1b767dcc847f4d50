"""Word boundaries and word lists as patterns (lawnb.read.words)."""

from __future__ import annotations

import re

from lawnb.read.words import alternation, word_bounds, words


def test_bounds_are_the_offsets_between_words():
    text = "依法行政"
    cut = words(text)
    assert "".join(cut) == text
    assert 0 in word_bounds(text) and len(text) in word_bounds(text)


def test_alternation_tries_longer_words_first_unless_told():
    assert re.match(alternation(["今年", "今年以来"]), "今年以来").group(0) == "今年以来"
    in_order = alternation(["今年", "今年以来"], longest_first=False)
    assert re.match(in_order, "今年以来").group(0) == "今年"
    assert re.fullmatch(alternation(["a.b"]), "a.b") and not re.fullmatch(
        alternation(["a.b"]), "axb"
    )
