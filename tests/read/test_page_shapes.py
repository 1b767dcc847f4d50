"""Real-page shapes on fictional fixtures: metadata, headings and figures all right.

Each fixture in tests/fixtures/pages/ reproduces, in our own words and with invented units,
a shape that real published reports have (page chrome, metadata blocks, no title, joint and
year-first titles, traditional characters, relative department names, a Word dump on one
line, ordinals and slogans); tests/fixtures/page_keys/README.md lists them. The real
development set (../shared/realworld/) is scored by bench/realworld.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from lawnb.extract.evaluate import FACT_FIELDS, evaluate, field_equal
from lawnb.schema import META_FIELDS

FIXTURES = Path(__file__).parents[1] / "fixtures"
KEYS = sorted((FIXTURES / "page_keys").glob("*.yaml"))


def test_every_shape_has_a_fixture():
    assert len(KEYS) >= 10
    sources = {p.name for p in (FIXTURES / "pages").glob("*.txt")}
    assert len(sources) == len(KEYS)


@pytest.mark.parametrize("key", KEYS, ids=lambda p: p.stem)
def test_page_shape_is_read_right(key: Path):
    result = evaluate(key)
    wrong = {name: value for name, value in result.metadata.items() if value[0] != value[1]}
    assert not wrong, f"metadata (expected, found): {wrong}"
    assert set(result.metadata) == set(META_FIELDS)
    heads = result.headings
    assert heads["matched"] == heads["expected"] == heads["found"] == heads["part_right"]
    assert not result.missed, result.missed
    assert not result.spurious, [(r["value"], r["measure"], r["subject"]) for r in result.spurious]
    assert not result.not_fact_hits
    for want, got in result.pairs:
        for name in FACT_FIELDS:
            assert field_equal(name, want, got), (name, want, got.get(name))


def test_guessed_metadata_is_said_so():
    by_stem = {k.stem: evaluate(k).report for k in KEYS}
    assert by_stem["p01"].guessed_fields == [] and by_stem["p01"].meta_confidence == "high"
    # unit from the page's metadata block, year from the opening sentence
    assert by_stem["p02"].meta_sources["unit"] == "metadata"
    assert by_stem["p02"].meta_sources["year"] == "opening"
    assert set(by_stem["p02"].guessed_fields) == {"unit", "district", "year"}
    # a department named relatively in its opening: the whole name is a guess
    assert by_stem["p05"].meta_confidence == "low"
    # the district of a township whose county is named nowhere is unknown, and said so
    assert by_stem["p03"].district is None and by_stem["p03"].guessed_fields == ["district"]
