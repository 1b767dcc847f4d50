"""Score the reader and the fact extractor against a hand-checked answer key (shared/gold format).

Takes an answer key (YAML: source, metadata, sections, items, facts, not_facts) and the report
it names; gives an ``Evaluation`` (metadata, headings and facts found against expected, the
missed and spurious facts), and pooled tables over several keys for ``lawnb eval``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from lawnb.errors import LawnbError
from lawnb.extract.facts import extract_facts
from lawnb.extract.subjects import subject_problems
from lawnb.read.normalize import normalize_text
from lawnb.read.reader import Report, read_report
from lawnb.schema import META_FIELDS

FACT_FIELDS: tuple[str, ...] = ("value", "measure", "qualifier", "kind", "section", "subject", "of")
_NOT_CJK = re.compile(r"[^\u4e00-\u9fff\w%]")


def subjects_match(expected: str | None, found: str | None, context: str = "") -> bool:
    """Two subject labels name the same thing, and the found one is fit to show.

    Labels match loosely (one contains the other, or most characters are shared: a key's
    label is a short paraphrase), but a found subject that breaks the subject rules of
    ``lawnb.extract.subjects`` (cut inside a word of ``context``, a list marker, a cue word) never
    matches.
    """
    if found and subject_problems(found, context):
        return False
    a, b = _NOT_CJK.sub("", expected or ""), _NOT_CJK.sub("", found or "")
    if not a or not b:
        return not a and not b
    if a in b or b in a:
        return True
    shared = sum(1 for ch in a if ch in b)
    return shared / len(a) >= 0.6


@dataclass
class Evaluation:
    """How one report's extraction compares with its answer key."""

    key: Path
    report: Report
    structure: dict[str, bool]
    field_scores: (
        pd.DataFrame
    )  # index field; columns matched, extracted, expected, precision, recall
    missed: list[dict[str, Any]] = field(default_factory=list)
    spurious: list[dict[str, Any]] = field(default_factory=list)
    # Metadata field -> (expected, found); headings: expected, found, matched, part_right.
    metadata: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    headings: dict[str, int] = field(default_factory=dict)
    # Extracted rows that fall on a string the key lists under ``not_facts``.
    not_fact_hits: list[dict[str, Any]] = field(default_factory=list)
    # (key fact, extracted row) of every matched fact.
    pairs: list[tuple[dict[str, Any], dict[str, Any]]] = field(default_factory=list)


def load_key(path: Path) -> dict[str, Any]:
    """An answer key, checked for the fields the scorer needs."""
    try:
        key = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise LawnbError(f"{path}: 无法读取答案文件（{exc}）。") from exc
    if not isinstance(key, dict) or "source" not in key:
        raise LawnbError(f"{path}: 答案文件缺少 source 字段（指向报告文件）。")
    return key


def resolve_source(key_path: Path, source: str) -> Path:
    """The report file a key names, relative to the key's folder, its parent, or the cwd."""
    key_path = Path(key_path).resolve()
    for base in (key_path.parent.parent, key_path.parent, Path.cwd(), *key_path.parents):
        candidate = base / source
        if candidate.exists():
            return candidate
    raise LawnbError(f"{key_path}: 找不到答案文件所指的报告 {source!r}。")


def evaluate(
    key_path: Path, report_path: Path | None = None, *, texts: Path | None = None
) -> Evaluation:
    """Read the key's report, extract its facts, and score both against the key.

    ``texts`` is a folder holding the key's source by file name (``texts/NN.txt`` of a
    development-set key is looked up as ``TEXTS/NN.txt``). Keys whose facts carry a ``span``
    (the development set) are paired by position: a fact matches the extracted row with the
    same value and measure inside its span; every extracted row on a ``not_facts`` string
    is a false positive.
    """
    key = load_key(key_path)
    if report_path is None and texts is not None:
        report_path = Path(texts) / Path(key["source"]).name
        if not report_path.exists():
            raise LawnbError(f"{key_path}: 找不到 {report_path}（--texts 文件夹中没有这份报告）。")
    report = read_report(
        Path(report_path) if report_path else resolve_source(key_path, key["source"])
    )
    facts = extract_facts(report)
    structure = _structure(report, key)
    expected = [dict(f, origin="extracted") for f in key.get("facts") or []]
    expected += [
        dict(f, origin="derived", qualifier=f.get("qualifier", "exact"), section=f.get("section"))
        for f in key.get("derived") or []
    ]
    rows = facts.to_dict("records")
    if any("span" in f for f in expected):
        pairs, missed, spurious = _pair_by_span(report.text, expected, rows)
    else:
        pairs, missed, spurious = _pair(expected, rows)
    scores = []
    for name in FACT_FIELDS:
        good = sum(1 for want, got in pairs if field_equal(name, want, got))
        scores.append(
            {"field": name, "matched": good, "extracted": len(rows), "expected": len(expected)}
        )
    scores.append(
        {"field": "fact", "matched": len(pairs), "extracted": len(rows), "expected": len(expected)}
    )
    table = pd.DataFrame(scores).set_index("field")
    table["precision"] = (table["matched"] / table["extracted"]).where(table["extracted"] > 0, 1.0)
    table["recall"] = (table["matched"] / table["expected"]).where(table["expected"] > 0, 1.0)
    return Evaluation(
        Path(key_path),
        report,
        structure,
        table,
        missed,
        spurious,
        metadata=_metadata(report, key),
        headings=_headings(report, key),
        not_fact_hits=_not_fact_hits(report.text, key.get("not_facts") or [], rows),
        pairs=pairs,
    )


def _metadata(report: Report, key: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """Expected and found value of each metadata field the key states."""
    out = {}
    for name in META_FIELDS:
        if name not in key:
            continue
        want = key.get(name)
        if name == "level" and want is None and str(key.get("unit") or "").endswith("省"):
            want = "province"  # the development set predates the province level
        if name == "title" and want is not None:
            want = _title(str(want))
        got = getattr(report, name)
        out[name] = (want, _title(got) if name == "title" and got else got)
    return out


def _headings(report: Report, key: dict[str, Any]) -> dict[str, int]:
    """Headings expected, found, matched (same path and level) and matched with the right part."""
    wanted = {
        _path(s, key.get("sections") or []): (s["level"], s.get("part"))
        for s in key.get("sections") or []
    }
    found = {s.path: (s.level, s.part) for s in report.sections}
    matched = [path for path, (level, _) in wanted.items() if found.get(path, (None,))[0] == level]
    return {
        "expected": len(wanted),
        "found": len(found),
        "matched": len(matched),
        "part_right": sum(1 for path in matched if found[path][1] == wanted[path][1]),
    }


def _locate(text: str, span: str) -> list[tuple[int, int]]:
    """Every place of ``span`` (as written, normalised like the report) in ``text``."""
    needle = normalize_text(span)
    places, start = [], text.find(needle)
    while needle and start >= 0:
        places.append((start, start + len(needle)))
        start = text.find(needle, start + 1)
    return places


def _pair_by_span(text: str, expected: list[dict[str, Any]], rows: list[dict[str, Any]]):  # type: ignore[no-untyped-def]
    """Pair key facts with the extracted row of the same value and measure inside their span."""
    used: set[int] = set()
    pairs, missed = [], []
    for want in expected:
        places = _locate(text, str(want.get("span") or ""))
        found = next(
            (
                i
                for i, got in enumerate(rows)
                if i not in used
                and got["origin"] == want["origin"]
                and abs(float(got["value"]) - float(want["value"])) < 1e-9
                and str(got["measure"]) == str(want["measure"])
                and any(a <= int(got["start"]) < b for a, b in places)
            ),
            None,
        )
        if found is None:
            missed.append(want)
        else:
            used.add(found)
            pairs.append((want, rows[found]))
    spurious = [row for i, row in enumerate(rows) if i not in used]
    return pairs, missed, spurious


def _not_fact_hits(
    text: str, not_facts: list[str], rows: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    places = [(s, place) for s in not_facts for place in _locate(text, str(s))]
    return [
        dict(row, not_fact=s) for row in rows for s, (a, b) in places if a <= int(row["start"]) < b
    ]


def field_equal(name: str, want: dict[str, Any], got: dict[str, Any]) -> bool:
    """True when an extracted row has the key fact's value of field ``name`` (loosely for labels)."""
    if name == "subject":
        return subjects_match(want.get("subject"), got.get("subject"), got.get("sentence") or "")
    if name == "of":
        found = got.get("of") if isinstance(got.get("of"), str) else None
        return subjects_match(want.get("of"), found) if want.get("of") else not found
    if name == "section":
        return want.get("section") in (None, got.get("section")) or want.get("origin") == "derived"
    if name == "value":
        return abs(float(want["value"]) - float(got["value"])) < 1e-9
    return str(want.get(name)) == str(got.get(name))


def _pair(expected: list[dict[str, Any]], rows: list[dict[str, Any]]):  # type: ignore[no-untyped-def]
    """Pair key facts with extracted rows by value and measure, in reading order."""
    used: set[int] = set()
    pairs, missed = [], []
    for want in expected:
        candidates = [
            i
            for i, got in enumerate(rows)
            if i not in used
            and abs(float(got["value"]) - float(want["value"])) < 1e-9
            and str(got["measure"]) == str(want["measure"])
            and got["origin"] == want["origin"]
        ]
        best = sorted(
            candidates,
            key=lambda i: (
                not subjects_match(want.get("subject"), rows[i]["subject"]),
                want.get("section") not in (None, rows[i]["section"]),
                i,
            ),
        )
        if best:
            used.add(best[0])
            pairs.append((want, rows[best[0]]))
        else:
            missed.append(want)
    spurious = [row for i, row in enumerate(rows) if i not in used]
    return pairs, missed, spurious


def _structure(report: Report, key: dict[str, Any]) -> dict[str, bool]:
    checks = {name: want == got for name, (want, got) in _metadata(report, key).items()}
    # Titles compare in normalised form, without a closing 。 (punctuation, not title).
    sections = key.get("sections") or []
    titled = any("title" in s for s in sections)  # development-set keys carry no titles
    want = [
        (s["number"], s["level"], s.get("part"), _title(s.get("title")) if titled else "")
        for s in sections
    ]
    got = [(s.number, s.level, s.part, _title(s.title) if titled else "") for s in report.sections]
    checks["sections"] = want == got
    want_paths = [_path(s, key.get("sections") or []) for s in key.get("sections") or []]
    checks["section_paths"] = want_paths == [s.path for s in report.sections]
    items = {s.path: len(s.items) for s in report.sections if s.items}
    checks["items"] = items == {str(k): int(v) for k, v in (key.get("items") or {}).items()}
    return checks


def _title(title: str | None) -> str:
    return normalize_text(title or "").rstrip("。")


def _path(section: dict[str, Any], sections: list[dict[str, Any]]) -> str:
    return (
        f"{section['parent']}/{section['number']}" if section.get("parent") else section["number"]
    )


def summarize_metadata(evaluations: list[Evaluation]) -> pd.DataFrame:
    """Per metadata field: how many keys state it and how many the reader got right."""
    rows = []
    for name in META_FIELDS:
        scored = [e.metadata[name] for e in evaluations if name in e.metadata]
        right = sum(1 for want, got in scored if want == got)
        rows.append({"field": name, "right": right, "keys": len(scored)})
    table = pd.DataFrame(rows).set_index("field")
    table["accuracy"] = (table["right"] / table["keys"]).where(table["keys"] > 0, 1.0)
    return table


def summarize_headings(evaluations: list[Evaluation]) -> dict[str, float]:
    """Pooled heading recall, precision and part accuracy (on matched headings)."""
    total = {
        k: sum(e.headings.get(k, 0) for e in evaluations)
        for k in ("expected", "found", "matched", "part_right")
    }
    return {
        **total,
        "recall": total["matched"] / total["expected"] if total["expected"] else 1.0,
        "precision": total["matched"] / total["found"] if total["found"] else 1.0,
        "part_accuracy": total["part_right"] / total["matched"] if total["matched"] else 1.0,
    }


def summarize(evaluations: list[Evaluation]) -> pd.DataFrame:
    """Pooled precision and recall per field over several reports."""
    total = sum(e.field_scores[["matched", "extracted", "expected"]] for e in evaluations)
    total["precision"] = (total["matched"] / total["extracted"]).where(total["extracted"] > 0, 1.0)
    total["recall"] = (total["matched"] / total["expected"]).where(total["expected"] > 0, 1.0)
    return total


def format_summary(evaluations: list[Evaluation]) -> str:
    """The pooled tables of a scoring run, as ``lawnb eval`` and bench/realworld.py print them."""
    table = summarize(evaluations)
    lines = [
        f"{len(evaluations)} report(s), {int(table.loc['fact', 'expected'])} expected facts"
        " (every extracted not_facts string counts as a false positive):",
        table[["matched", "extracted", "expected", "precision", "recall"]].to_string(
            float_format="%.3f"
        ),
    ]
    matched = table.loc["fact", "matched"]
    accuracy = {
        name: (table.loc[name, "matched"] / matched if matched else 1.0)
        for name in ("kind", "qualifier", "subject", "section")
    }
    lines.append(
        "on matched facts: "
        + ", ".join(f"{name} accuracy {value:.3f}" for name, value in accuracy.items())
    )
    hits = sum(len(e.not_fact_hits) for e in evaluations)
    lines.append(f"not_facts extracted: {hits}")
    heads = summarize_headings(evaluations)
    lines.append(
        f"headings: expected {heads['expected']}, found {heads['found']}, matched"
        f" {heads['matched']}; recall {heads['recall']:.3f}, precision {heads['precision']:.3f},"
        f" part accuracy {heads['part_accuracy']:.3f}"
    )
    lines += ["metadata:", summarize_metadata(evaluations).to_string(float_format="%.3f")]
    return "\n".join(lines)
