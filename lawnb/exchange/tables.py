"""Analysts' own indicator tables (``lawnb import-table``): their figures into a dataset folder.

Takes a wide table file (read by ``lawnb.exchange.wide_table``: its shape, how its labels map
to the catalogue, which cells count) and a dataset folder; adds each figure as a fact and gives
a ``TableImport`` saying what was done. Each figure becomes a fact with origin ``manual`` and
id ``T`` + hash(report, indicator), so importing a table again replaces its figures instead of
adding copies, and a re-imported report keeps them. A unit-year without a report gets a
reports row with an empty title. Importing the same file with the same options twice is
skipped.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from lawnb.errors import DatasetError
from lawnb.exchange.wide_table import Figure, Mapping, read_wide_table, table_figures
from lawnb.names import report_id as make_report_id
from lawnb.schema import FACT_COLUMNS, REPORT_COLUMNS, confidence_of

if TYPE_CHECKING:  # pragma: no cover
    from lawnb.store.dataset import Dataset


@dataclass
class TableImport:
    """What ``import_table`` did: the table's shape, the header mapping and the figures."""

    file: Path
    shape: str  # "years" (a row per indicator) or "units" (a row per unit)
    mapping: Mapping
    figures: list[Figure] = field(default_factory=list)
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    new_reports: list[str] = field(default_factory=list)
    skipped: bool = False
    folder: Path | None = None

    def lines(self) -> list[str]:
        """What to print: the mapping used and the counts."""
        if self.skipped:
            return [f"跳过 {self.file.name}：与已导入的表格内容相同，数据集未改动。"]
        shape = (
            "每行一个指标、每列一个年度" if self.shape == "years" else "每行一个单位、每列一个指标"
        )
        out = [
            f"表格 {self.file.name}：{shape}。{'指标' if self.shape == 'years' else '表头'}映射："
        ]
        out += [
            f"    {label} → {ind.id}（{ind.name}，{measure}）"
            for label, (ind, measure) in self.mapping.items()
        ]
        out.append(
            f"已导入 {len(self.figures)} 个数据到 {self.folder}"
            f"（新增 {self.added}、数值更新 {self.changed}、未变 {self.unchanged}）。"
        )
        if self.new_reports:
            out.append(f"新建报告记录（无报告原文，标题为空）：{'、'.join(self.new_reports)}。")
        return out


# --- into the dataset ---------------------------------------------------------------------------


def import_table(
    file: str | Path,
    folder: str | Path,
    *,
    unit: str | None = None,
    year: int | None = None,
    district: str | None = None,
    sheet: str | None = None,
) -> TableImport:
    """Add an analyst's wide table to a dataset folder (created when missing).

    The table is read by ``lawnb.exchange.wide_table``: the shapes and labels it accepts are there.
    """
    from lawnb.store.locking import writing
    from lawnb.store.staging import check_dataset_target

    file, folder = Path(file), Path(folder)
    check_dataset_target(folder)
    frame = read_wide_table(file, sheet)
    shape, mapping, figures = table_figures(frame, file, unit, year)
    result = TableImport(file, shape, mapping, figures, folder=folder)
    with writing(folder):
        _add_table(
            result, folder, {"unit": unit, "year": year, "district": district, "sheet": sheet}
        )
    return result


def _add_table(result: TableImport, folder: Path, options: dict) -> None:
    """Add the figures of ``result`` to the folder (its write lock held)."""
    from lawnb.store.loading import empty_dataset, load_dataset
    from lawnb.store.saving import save_dataset
    from lawnb.store.staging import read_manifest

    file, figures, shape = result.file, result.figures, result.shape
    district = options["district"]
    dataset = load_dataset(folder) if (folder / "reports.csv").exists() else empty_dataset()
    manifest = read_manifest(folder) if folder.exists() else {"imports": []}
    sha256 = hashlib.sha256(file.read_bytes()).hexdigest()
    if _imported_before(manifest, sha256, options, dataset):
        result.skipped = True
        return
    reports, result.new_reports = _with_reports(dataset.reports, figures, district, file)
    facts, fact_ids = _with_figures(dataset, figures, reports, result)
    _record(manifest, file, sha256, options, shape, fact_ids)
    dataset.reports, dataset.extracted_facts = reports, facts
    save_dataset(dataset, folder, manifest=manifest)


def _imported_before(manifest: dict, sha256: str, options: dict, dataset: Dataset) -> bool:
    entries = manifest.get("tables", [])
    fact_ids = set(dataset.extracted_facts["fact_id"].dropna())
    return any(
        e.get("sha256") == sha256 and e.get("options") == options and set(e["fact_ids"]) <= fact_ids
        for e in entries
    )


def _record(
    manifest: dict, file: Path, sha256: str, options: dict, shape: str, fact_ids: list[str]
) -> None:
    entries = [e for e in manifest.get("tables", []) if e.get("file") != file.name]
    entries.append(
        {
            "file": file.name,
            "sha256": sha256,
            "shape": shape,
            "options": options,
            "imported_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "fact_ids": fact_ids,
        }
    )
    manifest["tables"] = entries


def _district(reports: pd.DataFrame, unit: str, district: str | None, file: Path) -> str:
    """The district of a unit: --district, else that of its reports, else the only one there is."""
    if district:
        return district
    known = reports.loc[reports["unit"] == unit, "district"].dropna().unique().tolist()
    if len(known) == 1:
        return str(known[0])
    every = reports["district"].dropna().unique().tolist()
    if not known and len(every) == 1:
        return str(every[0])
    raise DatasetError(
        f"{file}: 无法确定单位“{unit}”所属的区县（数据集中{'有多个：' + '、'.join(map(str, known or every)) if (known or every) else '还没有区县'}）。"
        "请用 --district 指定。"
    )


def _with_reports(
    reports: pd.DataFrame, figures: list[Figure], district: str | None, file: Path
) -> tuple[pd.DataFrame, list[str]]:
    """The reports table with a row (empty title) for each unit-year that has none yet."""
    from lawnb.store.loading import concat

    rows, new_ids = [], []
    for unit, year in dict.fromkeys((f.unit, f.year) for f in figures):
        existing = reports[(reports["unit"] == unit) & (reports["year"] == year)]
        if not existing.empty:
            continue
        where = _district(reports, unit, district, file)
        level = reports.loc[reports["unit"] == unit, "level"].dropna()
        report_id = make_report_id(where, unit, year)
        new_ids.append(report_id)
        rows.append(
            {
                "report_id": report_id,
                "district": where,
                "unit": unit,
                "level": level.iloc[0] if not level.empty else None,
                "year": year,
                "source": file.name,
                **_provenance(reports, unit, district),
            }
        )
    added = pd.DataFrame(rows, columns=list(REPORT_COLUMNS))
    return concat([reports, added], "reports"), new_ids


def _provenance(reports: pd.DataFrame, unit: str, district: str | None) -> dict[str, str]:
    """``meta_source`` and ``guessed`` of a reports row made for a table's unit-year.

    Unit and year are the analyst's (override), and so is the district given with --district;
    a district or level taken from the unit's other reports keeps where those had it from
    (unknown for datasets saved before it was recorded), and a district that is merely the
    only one of the dataset is a guess.
    """
    from lawnb.store.report_metadata.provenance import (
        guessed_of,
        meta_source_text,
        parse_meta_source,
    )

    sources = {"title": "none", "unit": "override", "year": "override"}
    own = reports[reports["unit"] == unit]
    earlier = (
        parse_meta_source(own["meta_source"].dropna().iloc[0])
        if own["meta_source"].notna().any()
        else {}
    )
    if district:
        sources["district"] = "override"
    elif not own.empty:
        sources.update({k: v for k, v in earlier.items() if k == "district"})
    else:
        sources["district"] = "none"
    if not own["level"].dropna().empty:
        sources.update({k: v for k, v in earlier.items() if k == "level"})
    else:
        sources["level"] = "none"
    return {
        "meta_source": meta_source_text(sources),
        "guessed": " ".join(guessed_of(sources)),
        "confidence": confidence_of(sources),
    }


def table_fact_id(report_id: str, indicator_id: str) -> str:
    """The id of an analyst's figure: one per report and indicator, so a re-import replaces it."""
    return "T" + hashlib.sha1(f"{report_id}|{indicator_id}".encode()).hexdigest()[:10]


def _with_figures(
    dataset: Dataset, figures: list[Figure], reports: pd.DataFrame, result: TableImport
) -> tuple[pd.DataFrame, list[str]]:
    """The extracted facts with the table's figures added or replacing their earlier values."""
    from lawnb.store.loading import concat

    ids = {
        (u, int(y)): r
        for u, y, r in zip(reports["unit"], reports["year"], reports["report_id"], strict=True)
    }
    facts = dataset.extracted_facts
    old = dict(zip(facts["fact_id"], facts["value"], strict=True))
    rows = [_fact_row(ids[f.unit, f.year], f) for f in figures]
    for row in rows:
        if row["fact_id"] not in old:
            result.added += 1
        elif float(old[row["fact_id"]]) == row["value"]:
            result.unchanged += 1
        else:
            result.changed += 1
    new_ids = [row["fact_id"] for row in rows]
    kept = facts[~facts["fact_id"].isin(new_ids)]
    return concat([kept, pd.DataFrame(rows, columns=list(FACT_COLUMNS))], "facts"), new_ids


def _fact_row(report_id: str, figure: Figure) -> dict:
    return {
        "report_id": report_id,
        "fact_id": table_fact_id(report_id, figure.indicator.id),
        "part": "measures",
        "dimension": figure.indicator.dimension,
        "indicator": figure.indicator.id,
        "subject": figure.indicator.name,
        "value": figure.value,
        "measure": figure.measure,
        "qualifier": "exact",
        "kind": "achievement",
        "origin": "manual",
    }
