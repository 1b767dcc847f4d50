"""Where each field of a report's metadata came from, and which fields are guesses.

Takes the sources ``lawnb.read`` gives a report's title, unit, district, level and year (``title``,
``opening``, ``file_name`` … ``META_SOURCES``) and gives the reports table's
``meta_source`` (``title=title unit=opening district=none level=opening year=title``),
``guessed`` (unit, district and year read from anything but the title or the user, or not
found) and ``confidence`` cells; and, back from those cells, the notes that ``lawnb import``,
``lawnb check`` and the annual report page show for each guessed report.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from lawnb.formatting import is_missing
from lawnb.labels import META_FIELD_LABELS, META_SOURCE_LABELS
from lawnb.schema import GUESSABLE_FIELDS, META_FIELDS, TRUSTED_META_SOURCES, confidence_of
from lawnb.store.sheets import records


def meta_source_text(sources: Mapping[str, str]) -> str:
    """The ``meta_source`` cell: ``field=source`` for each field known, in ``META_FIELDS`` order."""
    return " ".join(f"{name}={sources[name]}" for name in META_FIELDS if name in sources)


def parse_meta_source(text: object) -> dict[str, str]:
    """A ``meta_source`` cell as {field: source}; blank (a dataset saved before it) as {}."""
    if is_missing(text):
        return {}
    pairs = (token.split("=", 1) for token in str(text).split() if "=" in token)
    return {name: source for name, source in pairs}


def guessed_of(sources: Mapping[str, str]) -> list[str]:
    """Unit, district and year whose (known) source is neither the title nor the user."""
    return [
        name
        for name in GUESSABLE_FIELDS
        if name in sources and sources[name] not in TRUSTED_META_SOURCES
    ]


def full_sources(sources: Mapping[str, str]) -> dict[str, str]:
    """A ``Report``'s sources with every field: one it does not name was not found (``none``)."""
    return {name: sources.get(name, "none") for name in META_FIELDS}


def provenance(sources: Mapping[str, str]) -> dict[str, str]:
    """The ``meta_source`` and ``guessed`` cells of a report whose fields came from ``sources``.

    A field missing from ``sources`` counts as not found (``none``), as ``Report.guessed_fields``
    counts it.
    """
    full = full_sources(sources)
    return {
        "meta_source": meta_source_text(full),
        "guessed": " ".join(guessed_of(full)),
        "confidence": confidence_of(full),
    }


def guessed_groups(
    sources: Mapping[str, str], values: Mapping[str, object]
) -> tuple[dict[str, list[str]], list[str]]:
    """The guessed fields that have a value, by where they came from, and those not found."""
    by_source: dict[str, list[str]] = {}
    missing: list[str] = []
    for name in guessed_of(sources):
        if is_missing(values.get(name)):
            missing.append(name)
        else:
            by_source.setdefault(sources[name], []).append(name)
    return by_source, missing


def guessed_note(sources: Mapping[str, str], values: Mapping[str, object]) -> str:
    """“单位、年度 是推测的（来自 正文开头）” (and “区县 未能识别”); "" when nothing is guessed."""
    by_source, missing = guessed_groups(sources, values)
    clauses = []
    for source, names in by_source.items():
        where = META_SOURCE_LABELS.get(source, source)
        where = "来源不明" if source == "none" else f"来自 {where}"
        clauses.append(f"{field_names(names)} 是推测的（{where}）")
    if missing:
        clauses.append(f"{field_names(missing)} 未能识别")
    return "，".join(clauses)


def field_names(names: list[str]) -> str:
    """Field codes as their Chinese names joined by 、 (``unit year`` → 单位、年度)."""
    return "、".join(META_FIELD_LABELS.get(n, n) for n in names)


def guessed_warnings(reports: pd.DataFrame, dataset_label: str = "") -> list[str]:
    """One line per report whose ``guessed`` is not blank (what ``lawnb check`` lists)."""
    lines = []
    where = f" {dataset_label}" if dataset_label else ""
    for row in records(reports):
        if is_missing(row.get("guessed")):
            continue
        sources = parse_meta_source(row.get("meta_source"))
        sources.update({n: sources.get(n, "none") for n in str(row["guessed"]).split()})
        source = f"（{row['source']}）" if not is_missing(row.get("source")) else ""
        lines.append(
            f"{row['report_id']}{source}：{guessed_note(sources, row)}，请核对；"
            f"用 lawnb reports set {row['report_id']} --dataset{where or ' 数据集'} 修正。"
        )
    return lines


def duplicate_sources(reports: pd.DataFrame) -> list[list[str]]:
    """The report_ids of reports read from the same content (same ``sha256``), two or more each."""
    if "sha256" not in reports:
        return []
    known = reports[reports["sha256"].notna() & (reports["sha256"].astype(str) != "")]
    groups = known.groupby(known["sha256"].astype(str), sort=False)["report_id"]
    return [[str(r) for r in ids] for _, ids in groups if len(ids) > 1]
