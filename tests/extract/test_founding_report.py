"""The reader and the extractor against the hand-checked key of the founding report."""

from __future__ import annotations

import yaml

from lawnb.extract.evaluate import evaluate
from lawnb.read.reader import read_report


def test_metadata_and_sections_match_the_key(founding_report, founding_key):
    key = yaml.safe_load(founding_key.read_text(encoding="utf-8"))
    report = read_report(founding_report)
    assert (report.title, report.district, report.unit, report.level, report.year) == (
        key["title"],
        key["district"],
        key["unit"],
        key["level"],
        key["year"],
    )
    got = [(s.number, s.level, s.part, s.title) for s in report.sections]
    want = [(s["number"], s["level"], s["part"], s["title"]) for s in key["sections"]]
    assert got == want
    parents = {s.path: s.parent for s in report.sections}
    for section in key["sections"]:
        path = (
            f"{section['parent']}/{section['number']}"
            if section.get("parent")
            else section["number"]
        )
        assert parents[path] == section.get("parent")
    items = {s.path: len(s.items) for s in report.sections if s.items}
    assert items == key["items"]


def test_offsets_point_into_the_normalised_text(founding_report):
    report = read_report(founding_report)
    for section in report.sections:
        assert report.text[section.start :].startswith(section.number)
        assert section.start < section.body_start <= section.end
        for item in section.items:
            assert report.text[item.start : item.start + len(item.marker)] == item.marker


def test_extraction_reproduces_every_fact_of_the_key(founding_key, capsys):
    result = evaluate(founding_key)
    table = result.field_scores
    with capsys.disabled():
        print("\nfounding report, extraction against the gold key:")
        print(table.to_string(float_format="%.3f"))
    assert not result.missed, result.missed
    assert not result.spurious, result.spurious
    assert (table["precision"] == 1.0).all() and (table["recall"] == 1.0).all()
    assert all(result.structure.values()), result.structure


def test_derived_remainder_row_is_present(founding_report):
    from lawnb.extract.facts import extract_facts

    facts = extract_facts(read_report(founding_report))
    derived = facts[facts["origin"] == "derived"]
    assert len(derived) == 1
    row = derived.iloc[0]
    parts = facts[
        (facts["kind"] == "composition")
        & (facts["of"] == row["of"])
        & (facts["origin"] == "extracted")
    ]
    whole = facts[(facts["subject"] == row["of"]) & (facts["kind"] == "status")]
    assert row["value"] == whole.iloc[0]["value"] - parts["value"].sum()


def test_no_answer_of_the_key_is_written_into_the_extraction_code(founding_key, repo_root):
    key = yaml.safe_load(founding_key.read_text(encoding="utf-8"))
    modules = sorted((repo_root / "lawnb").glob("read/*.py")) + sorted(
        (repo_root / "lawnb").glob("extract/*.py")
    )
    assert len(modules) >= 10
    code = "".join(path.read_text(encoding="utf-8") for path in modules)
    subjects = {f["subject"] for f in key["facts"] + key["derived"] if len(f["subject"]) >= 3}
    assert not [s for s in subjects if s in code]
