"""The reader and the extractor on fictional reports they were not written for, in every format.

Each key in tests/fixtures/keys/ (and the demo district's in tests/fixtures/demo_keys/) names
the file variants to build from its source text: UTF-8 with or without BOM, GB18030, .docx, a
saved government web page, a PDF with a text layer, a scanned PDF without one.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from lawnb.errors import ReportReadError
from lawnb.extract.evaluate import evaluate, load_key, resolve_source, summarize
from lawnb.read.reader import read_report

FIXTURES = Path(__file__).parents[1] / "fixtures"
sys.path.insert(0, str(FIXTURES))
from formats import build_variants  # noqa: E402

KEYS = sorted((FIXTURES / "keys").glob("*.yaml")) + sorted((FIXTURES / "demo_keys").glob("*.yaml"))


def _variants(key_path: Path, out_dir: Path) -> dict[str, Path]:
    key = load_key(key_path)
    source = resolve_source(key_path, key["source"])
    formats = [f for f in key.get("formats") or ["source"] if f != "source"]
    variants = build_variants(source, formats, out_dir) if formats else {}
    variants["source"] = source
    return variants


@pytest.mark.slow
def test_the_fixtures_cover_every_format_and_enough_facts():
    formats = [f for key in KEYS for f in load_key(key).get("formats") or ["source"]]
    for name in ("txt", "txt-bom", "gb18030", "docx", "html", "pdf", "pdf-scanned"):
        assert formats.count(name) >= 2, name
    facts = sum(len(load_key(key).get("facts") or []) for key in KEYS)
    assert len(KEYS) >= 15 and facts >= 150
    assert any(not load_key(key).get("facts") for key in KEYS), "a report with no facts"


@pytest.mark.parametrize("key_path", KEYS, ids=lambda p: p.stem)
@pytest.mark.slow
def test_reader_reproduces_the_key_in_every_format(key_path, tmp_path):
    for fmt, path in _variants(key_path, tmp_path).items():
        if fmt == "pdf-scanned":
            with pytest.raises(ReportReadError, match="没有文字层"):
                read_report(path)
            continue
        result = evaluate(key_path, report_path=path)
        wrong = [name for name, ok in result.structure.items() if not ok]
        assert not wrong, f"{fmt}: {wrong}"
        fact = result.field_scores.loc["fact"]
        assert fact.precision >= 0.9 and fact.recall >= 0.9, (fmt, result.missed, result.spurious)


def test_extraction_precision_and_recall_over_all_fixtures(capsys):
    results = [evaluate(key) for key in KEYS]
    table = summarize(results)
    with capsys.disabled():
        print(f"\nextraction over {len(results)} fictional fixture reports:")
        print(table.to_string(float_format="%.3f"))
    for field in ("value", "measure", "qualifier", "kind", "section", "subject", "of", "fact"):
        assert table.loc[field, "precision"] >= 0.95, field
        assert table.loc[field, "recall"] >= 0.95, field
