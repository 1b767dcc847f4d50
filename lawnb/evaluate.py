"""Score the reader and the fact extractor against a hand-checked answer key (shared/gold format)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from lawnb.errors import LawnbError
from lawnb.facts import extract_facts
from lawnb.normalize import normalize_text
from lawnb.reader import Report, read_report

FACT_FIELDS: tuple[str, ...] = ("value", "measure", "qualifier", "kind", "section", "subject", "of")
_NOT_CJK = re.compile(r"[^\u4e00-\u9fff\w%]")


def subjects_match(expected: str | None, found: str | None) -> bool:
    """Loose match of two subject labels: one contains the other, or most characters are shared."""
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


def evaluate(key_path: Path, report_path: Path | None = None) -> Evaluation:
    """Read the key's report, extract its facts, and score both against the key."""
    key = load_key(key_path)
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
    pairs, missed, spurious = _pair(expected, rows)
    scores = []
    for name in FACT_FIELDS:
        good = sum(1 for want, got in pairs if _field_equal(name, want, got))
        scores.append(
            {"field": name, "matched": good, "extracted": len(rows), "expected": len(expected)}
        )
    scores.append(
        {"field": "fact", "matched": len(pairs), "extracted": len(rows), "expected": len(expected)}
    )
    table = pd.DataFrame(scores).set_index("field")
    table["precision"] = (table["matched"] / table["extracted"]).where(table["extracted"] > 0, 1.0)
    table["recall"] = (table["matched"] / table["expected"]).where(table["expected"] > 0, 1.0)
    return Evaluation(Path(key_path), report, structure, table, missed, spurious)


def _field_equal(name: str, want: dict[str, Any], got: dict[str, Any]) -> bool:
    if name == "subject":
        return subjects_match(want.get("subject"), got.get("subject"))
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
    checks = {
        name: getattr(report, name) == key.get(name)
        for name in ("title", "district", "unit", "level", "year")
    }
    # Titles compare in normalised form, without a closing 。 (punctuation, not title).
    want = [
        (s["number"], s["level"], s.get("part"), _title(s.get("title")))
        for s in key.get("sections") or []
    ]
    got = [(s.number, s.level, s.part, _title(s.title)) for s in report.sections]
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


def summarize(evaluations: list[Evaluation]) -> pd.DataFrame:
    """Pooled precision and recall per field over several reports."""
    total = sum(e.field_scores[["matched", "extracted", "expected"]] for e in evaluations)
    total["precision"] = (total["matched"] / total["extracted"]).where(total["extracted"] > 0, 1.0)
    total["recall"] = (total["matched"] / total["expected"]).where(total["expected"] > 0, 1.0)
    return total
