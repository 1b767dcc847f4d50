"""Reports' metadata: where each field came from, and analysts' fixes that survive re-import.

Every reports row says where its title, unit, district, level and year were read from
(``meta_source``, e.g. ``title=title unit=opening district=none level=opening year=title``)
and which of unit, district and year are guesses (``guessed``: read from anything but the
title, or not found at all). ``lawnb import`` warns about each guessed report, ``lawnb check``
lists them and the annual report page says so in its header.

An analyst fixes a report's metadata with ``lawnb reports set`` (``set_report``) or removes a
report with ``lawnb reports remove`` (``remove_report``). A fix is recorded in
``manual_reports.csv`` in the dataset folder, keyed by the report's content (the ``sha256``
of its text, the reports table's ``sha256`` column), so that importing the same content again,
even with ``--force`` or from another file name, gives the fixed report: the recorded values
are applied as if given on the command line. Metadata given to ``lawnb import`` (``--unit``,
``--district``, ``--year``) is recorded the same way; the latest statement wins per field.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from lawnb.errors import DatasetError, LawnbError
from lawnb.fileio import write_frame
from lawnb.formatting import is_missing
from lawnb.labels import META_FIELD_LABELS, META_SOURCE_LABELS
from lawnb.names import UNSAFE_NAME, YEAR_RANGE
from lawnb.schema import (
    GUESSABLE_FIELDS,
    LEVELS,
    META_FIELDS,
    TRUSTED_META_SOURCES,
    confidence_of,
)
from lawnb.store.sheets import TableReadError, read_csv_table
from lawnb.store.validation import (
    CLEAR,
    Problem,
    Rule,
    first_of_duplicates,
    named_check,
    validate_text_table,
)

if TYPE_CHECKING:  # pragma: no cover
    from lawnb.store.dataset import Dataset

MANUAL_REPORTS = "manual_reports.csv"
# The fields a fix may set, in the order of the file's columns.
OVERRIDE_FIELDS: tuple[str, ...] = ("district", "unit", "level", "year", "title")
OVERRIDE_COLUMNS: tuple[str, ...] = ("sha256", "report_id", *OVERRIDE_FIELDS, "reason")
OVERRIDE_RULES: dict[str, Rule] = {
    "sha256": Rule(required=True, pattern="sha256"),
    "report_id": Rule(),
    "district": Rule(safe_name=True),
    "unit": Rule(safe_name=True),
    "level": Rule(vocabulary="level"),
    "year": Rule(number="int", year=True),
    "title": Rule(),
    "reason": Rule(),
}
LIST_COLUMNS: tuple[str, ...] = (
    "report_id",
    "unit",
    "district",
    "level",
    "year",
    "title",
    "guessed",
)
SET_HINT = "用 lawnb reports set 修正"


# --- provenance ---------------------------------------------------------------------------------


def meta_source_text(sources: Mapping[str, str]) -> str:
    """The ``meta_source`` cell: ``field=source`` for each field known, in ``META_FIELDS`` order."""
    return " ".join(f"{name}={sources[name]}" for name in META_FIELDS if name in sources)


def parse_meta_source(text: object) -> dict[str, str]:
    """A ``meta_source`` cell as {field: source}; blank (a dataset saved before it) as {}."""
    if text is None or (not isinstance(text, str) and pd.isna(text)):  # type: ignore[arg-type]
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
    for row in _records(reports):
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


# --- the fixes file -----------------------------------------------------------------------------


def empty_overrides() -> pd.DataFrame:
    """A fixes table with no rows (every column text)."""
    return pd.DataFrame(columns=list(OVERRIDE_COLUMNS), dtype=object)


def read_report_overrides(folder: Path) -> tuple[pd.DataFrame, list[Problem]]:
    """The recorded fixes of a dataset folder (text, blank cells as NA) and their problems."""
    file = Path(folder) / MANUAL_REPORTS
    if not file.exists():
        return empty_overrides(), []
    try:
        table = read_csv_table(file)
    except TableReadError as exc:
        return empty_overrides(), [Problem(exc.file, exc.line, None, exc.detail)]
    problems = validate_text_table(
        table,
        "report_overrides",
        str(file),
        rules=OVERRIDE_RULES,
        required_columns=("sha256",),
        allow_clear=True,
        row_checks=[named_check(lambda f: first_of_duplicates(f, ["sha256"]), "same_content")],
        messages={"same_content": _same_content},
    )
    if problems:
        return empty_overrides(), problems
    return table.reindex(columns=list(OVERRIDE_COLUMNS)).reset_index(drop=True), []


def _same_content(frame: pd.DataFrame, line: int | None) -> str:
    same = frame.index[frame["sha256"] == frame.at[line, "sha256"]]
    return f"与第 {min(same)} 行是同一份报告（sha256 相同）。请把两行合并为一行。"


def write_report_overrides(folder: Path, table: pd.DataFrame) -> Path:
    """Write the fixes table to ``manual_reports.csv`` of a folder atomically (UTF-8 with BOM)."""
    file = Path(folder) / MANUAL_REPORTS
    return write_frame(table.reindex(columns=list(OVERRIDE_COLUMNS)), file)


def recorded_overrides(table: pd.DataFrame, sha256: str) -> dict[str, object]:
    """The fields recorded for a content as ``read_report`` arguments (year an int).

    A district recorded as ``（空）`` (“no district”) is returned as "".
    """
    rows = table[table["sha256"] == sha256]
    if rows.empty:
        return {}
    row = rows.iloc[-1]
    found: dict[str, object] = {}
    for name in OVERRIDE_FIELDS:
        value = row[name]
        if is_missing(value):
            continue
        value = str(value).strip()
        found[name] = "" if value in CLEAR else int(float(value)) if name == "year" else value
    return found


def with_override(
    table: pd.DataFrame, sha256: str, report_id: str, values: Mapping[str, object], reason: str
) -> pd.DataFrame:
    """The fixes table with ``values`` recorded for a content (merged into its earlier fix)."""
    rows = table[table["sha256"] == sha256]
    row = {c: None for c in OVERRIDE_COLUMNS}
    if not rows.empty:
        row.update({k: (None if is_missing(v) else v) for k, v in rows.iloc[-1].items()})
    for name, value in values.items():
        row[name] = CLEAR[0] if value == "" else str(value)
    row.update(sha256=sha256, report_id=report_id, reason=reason or row.get("reason"))
    kept = table[table["sha256"] != sha256]
    return pd.concat(
        [kept.astype(object), pd.DataFrame([row], columns=list(OVERRIDE_COLUMNS), dtype=object)],
        ignore_index=True,
    )


# --- checking what an analyst gives -------------------------------------------------------------


def checked_values(
    *,
    unit: str | None = None,
    district: str | None = None,
    level: str | None = None,
    year: object = None,
    title: str | None = None,
) -> dict[str, object]:
    """The fields given (None: not given), checked; ``LawnbError`` saying how to fix a bad one.

    ``district=""`` means the report has no district; ``level`` may be a code or its Chinese
    name (镇 → town); ``year`` may be text.
    """
    values: dict[str, object] = {}
    for label, name, value in (
        ("单位 (unit)", "unit", unit),
        ("区县 (district)", "district", district),
    ):
        if value is None:
            continue
        value = str(value).strip()
        if not value and name == "unit":
            raise LawnbError(f"{label} 不能为空。请填写单位的中文全称。")
        if UNSAFE_NAME.search(value):
            raise LawnbError(
                f"{label} {value!r} 含有路径符号（/ \\ ..）或控制字符，不能用作报告编号和输出文件名。"
                "请改用中文全称。"
            )
        values[name] = value
    if level is not None:
        values["level"] = _level_code(level)
    if year is not None:
        values["year"] = _year(year)
    if title is not None:
        title = str(title).strip()
        if re.search(r"[\x00-\x1f\x7f]", title):
            raise LawnbError(f"标题 (title) {title!r} 含有换行或控制字符。请写成一行。")
        if not title:
            raise LawnbError("标题 (title) 不能为空。")
        values["title"] = title
    return values


def _level_code(level: str) -> str:
    text = str(level).strip()
    if text in LEVELS:
        return text
    by_label = {label: code for code, label in LEVELS.items()}
    by_label.update({"区": "county", "县": "county"})
    if text in by_label:
        return by_label[text]
    known = "、".join(f"{code}（{label}）" for code, label in LEVELS.items())
    raise LawnbError(f"层级 (level) {text!r} 未知。可用：{known}。")


def _year(year: object) -> int:
    low, high = YEAR_RANGE
    text = str(year).strip()
    if not re.fullmatch(r"\d{4}", text) or not low <= int(text) <= high:
        raise LawnbError(
            f"年度 (year) {text!r} 无效：应为 {low}–{high} 之间的四位数年份，如 2021。"
        )
    return int(text)


# --- lawnb reports list | set | remove ----------------------------------------------------------


def list_reports(dataset: Dataset) -> pd.DataFrame:
    """One row per report: report_id, unit, district, level, year, title, guessed."""
    return dataset.reports.reindex(columns=list(LIST_COLUMNS)).reset_index(drop=True)


@dataclass
class ReportEdit:
    """What ``set_report`` changed."""

    folder: Path
    old_id: str
    new_id: str
    changes: dict[str, tuple[object, object]] = field(default_factory=dict)  # field: (old, new)
    confirmed: list[str] = field(default_factory=list)  # guessed fields confirmed as they are
    corrections_moved: int = 0
    recorded: bool = False  # kept in manual_reports.csv (False: the report has no content hash)
    guessed: str = ""  # what is still guessed

    def lines(self) -> list[str]:
        """What to print."""
        if not self.changes and not self.confirmed:
            return [f"报告 {self.old_id} 没有推测的字段需要确认，数据集未改动。"]
        head = f"已修改报告 {self.old_id}" + (
            f" → {self.new_id}" if self.new_id != self.old_id else ""
        )
        out = [head + "："]
        out += [
            f"    {META_FIELD_LABELS[name]}：{_shown(old)} → {_shown(new)}"
            for name, (old, new) in self.changes.items()
        ]
        if self.confirmed:
            out.append(f"    已确认（值不变）：{field_names(self.confirmed)}")
        if self.corrections_moved:
            out.append(f"{self.corrections_moved} 条人工修正已随之改为新的报告编号。")
        if self.recorded:
            out.append(
                f"已记录到 {self.folder / MANUAL_REPORTS}（按报告内容识别），"
                "以后重新导入同一份报告（包括 --force）时仍然生效。"
            )
        else:
            out.append("这份报告没有原文校验码（来自分析人员的表格），修改只作用于数据集。")
        if self.guessed:
            out.append(
                f"仍是推测的：{field_names(self.guessed.split())}。"
                "用 --confirm 确认，或用 --unit/--district/--year 修正。"
            )
        return out


@dataclass
class ReportRemoval:
    """What ``remove_report`` removed."""

    folder: Path
    report_id: str
    sections: int = 0
    facts: int = 0
    corrections: int = 0
    override_removed: bool = False

    def lines(self) -> list[str]:
        """What to print."""
        out = [
            f"已删除报告 {self.report_id}：{self.sections} 个章节、{self.facts} 条数据"
            + (f"、{self.corrections} 条人工修正" if self.corrections else "")
            + (f"，以及 {MANUAL_REPORTS} 中它的元数据修正" if self.override_removed else "")
            + "。"
        ]
        return out


def set_report(
    folder: str | Path,
    report_id: str,
    *,
    unit: str | None = None,
    district: str | None = None,
    level: str | None = None,
    year: object = None,
    title: str | None = None,
    confirm: bool = False,
    reason: str = "",
) -> ReportEdit:
    """Change one report's metadata in a dataset folder and record the fix by its content.

    Its report_id follows the new district, unit and year in all three tables, in the manual
    corrections and in the manifest; the fields given become ``override`` (no longer guessed).
    ``confirm`` marks the fields still guessed as checked, keeping their values. Raises
    ``LawnbError`` for an unknown report_id (naming close ones), a bad value, or a new
    report_id that another report already has.
    """
    from lawnb.store.locking import writing

    folder = Path(folder)
    values = checked_values(unit=unit, district=district, level=level, year=year, title=title)
    if not values and not confirm:
        raise LawnbError(
            "没有要修改的内容。请至少给出 --unit、--district、--level、--year、--title 之一，"
            "或用 --confirm 确认推测的字段。"
        )
    with writing(folder):
        dataset = _load(folder)
        index = _find(dataset, report_id, folder)
        return _set(dataset, folder, index, values, confirm, reason or "lawnb reports set")


def _set(
    dataset: Dataset,
    folder: Path,
    index: int,
    values: dict[str, object],
    confirm: bool,
    reason: str,
) -> ReportEdit:
    from lawnb.store.dataset import save_dataset

    row = _records(dataset.reports.loc[[index]])[0]
    old_id = str(row["report_id"])
    sources = parse_meta_source(row.get("meta_source"))
    confirmed = []
    if confirm:
        for name in guessed_of(sources) or [g for g in str(row.get("guessed") or "").split()]:
            if name not in values:
                values[name] = "" if is_missing(row.get(name)) else row[name]
                confirmed.append(name)
    new = {name: row.get(name) for name in OVERRIDE_FIELDS}
    new.update(values)
    new_id = f"{'' if is_missing(new['district']) else new['district']}/{new['unit']}/{new['year']}"
    if new_id != old_id and (dataset.reports["report_id"] == new_id).any():
        raise LawnbError(
            f"数据集“{folder}”中已有报告 {new_id}，不能把 {old_id} 改成同一个编号。"
            f"若两者是同一份报告，请先用 `lawnb reports remove` 删除其中一份。"
        )
    if not values:
        return ReportEdit(folder, old_id, old_id, guessed=str(row.get("guessed") or ""))
    changes = {
        name: (row.get(name), value)
        for name, value in values.items()
        if name not in confirmed and _canon(row.get(name)) != _canon(value)
    }
    confirmed += [n for n in values if n not in changes and n not in confirmed]
    for name in values:
        sources[name] = "override"
    reports = dataset.reports.copy()
    for name, value in new.items():
        reports.at[index, name] = None if is_missing(value) else value
    reports.at[index, "report_id"] = new_id
    reports.at[index, "meta_source"] = meta_source_text(sources) or None
    guessed = " ".join(guessed_of(sources))
    reports.at[index, "guessed"] = guessed or None
    reports.at[index, "confidence"] = confidence_of(full_sources(sources))
    edit = ReportEdit(folder, old_id, new_id, changes, confirmed, guessed=guessed)

    corrections = dataset.corrections
    if new_id != old_id:
        dataset.sections = _renamed(dataset.sections, old_id, new_id)
        dataset.extracted_facts = _renamed(_extracted(dataset), old_id, new_id)
        moved = corrections["report_id"] == old_id
        edit.corrections_moved = int(moved.sum())
        corrections = corrections.copy()
        corrections.loc[moved, "report_id"] = new_id
        _rename_imports(dataset.manifest, {old_id: new_id})
    dataset.reports = reports

    overrides = dataset.report_overrides
    sha256 = "" if is_missing(row.get("sha256")) else str(row["sha256"])
    if sha256:
        overrides = with_override(overrides, sha256, new_id, values, reason)
        edit.recorded = True

    def extras(staging: Path) -> None:
        if edit.corrections_moved:
            write_moved_corrections(folder, staging, corrections)
        if edit.recorded:
            write_report_overrides(staging, overrides)

    save_dataset(dataset, folder, write_extras=extras)
    return edit


def remove_report(folder: str | Path, report_id: str) -> ReportRemoval:
    """Remove one report from a dataset folder with its sections, facts and manual corrections.

    Its recorded metadata fix goes too (unless another report has the same content), and so
    does its manifest import entry, so importing its file again adds it afresh.
    """
    from lawnb.store.dataset import save_dataset
    from lawnb.store.locking import writing

    folder = Path(folder)
    with writing(folder):
        dataset = _load(folder)
        index = _find(dataset, report_id, folder)
        row = _records(dataset.reports.loc[[index]])[0]
        facts = _extracted(dataset)
        removal = ReportRemoval(
            folder,
            report_id,
            sections=int((dataset.sections["report_id"] == report_id).sum()),
            facts=int((facts["report_id"] == report_id).sum()),
        )
        dataset.reports = dataset.reports.drop(index=index).reset_index(drop=True)
        dataset.sections = _without(dataset.sections, report_id)
        dataset.extracted_facts = _without(facts, report_id)
        corrections = dataset.corrections
        mine = corrections["report_id"] == report_id
        removal.corrections = int(mine.sum())
        corrections = corrections[~mine]
        dataset.manifest["imports"] = [
            e for e in dataset.manifest.get("imports", []) if e.get("report_id") != report_id
        ]
        overrides = dataset.report_overrides
        sha256 = "" if is_missing(row.get("sha256")) else str(row["sha256"])
        still_there = sha256 and (dataset.reports["sha256"] == sha256).any()
        if sha256 and not still_there and (overrides["sha256"] == sha256).any():
            overrides = overrides[overrides["sha256"] != sha256]
            removal.override_removed = True

        def extras(staging: Path) -> None:
            if removal.corrections:
                write_moved_corrections(folder, staging, corrections)
            if removal.override_removed:
                write_report_overrides(staging, overrides)

        save_dataset(dataset, folder, write_extras=extras)
    return removal


def write_moved_corrections(folder: Path, staging: Path, corrections: pd.DataFrame) -> None:
    """The folder's manual corrections file, rewritten into ``staging`` (same name and format)."""
    from lawnb.store.corrections import manual_file, write_corrections

    current = manual_file(folder)
    name = current.name if current is not None else "manual.csv"
    write_corrections(staging, corrections.drop(columns="line", errors="ignore"), name=name)


def rename_reports(frame: pd.DataFrame, renames: Mapping[str, str]) -> pd.DataFrame:
    """A table whose report_ids in ``renames`` take their new id."""
    if not renames or frame.empty:
        return frame
    out = frame.copy()
    hit = out["report_id"].isin(list(renames))
    out.loc[hit, "report_id"] = out.loc[hit, "report_id"].map(dict(renames))
    return out


def _rename_imports(manifest: dict, renames: Mapping[str, str]) -> None:
    for entry in manifest.get("imports", []):
        if entry.get("report_id") in renames:
            entry["report_id"] = renames[entry["report_id"]]


def _renamed(frame: pd.DataFrame, old: str, new: str) -> pd.DataFrame:
    return rename_reports(frame, {old: new})


def _without(frame: pd.DataFrame, report_id: str) -> pd.DataFrame:
    return frame[frame["report_id"] != report_id].reset_index(drop=True)


def _extracted(dataset: Dataset) -> pd.DataFrame:
    return dataset.extracted_facts if dataset.extracted_facts is not None else dataset.facts


def _load(folder: Path) -> Dataset:
    from lawnb.store.dataset import load_dataset

    if not (folder / "reports.csv").exists():
        raise DatasetError(
            f"{folder}: 不是数据集文件夹（没有 reports.csv）。请检查 --dataset，"
            f"或先运行 `lawnb import 报告文件 --dataset {folder}`。"
        )
    return load_dataset(folder)


def _find(dataset: Dataset, report_id: str, folder: Path) -> int:
    """The row index of a report_id; ``DatasetError`` naming the dataset and close ids."""
    ids = dataset.reports["report_id"].astype(str).tolist()
    if report_id in ids:
        return int(dataset.reports.index[ids.index(report_id)])
    close = difflib.get_close_matches(report_id, ids, n=5, cutoff=0.4)
    if close:
        hint = f"相近的报告编号：{'、'.join(close)}。"
    elif ids:
        hint = f"已有报告编号：{'、'.join(ids[:10])}{' 等' if len(ids) > 10 else ''}。"
    else:
        hint = "数据集中还没有报告。"
    raise DatasetError(
        f"数据集“{folder}”中没有报告编号“{report_id}”。{hint}"
        f"报告编号的形式为“区县/单位/年度”；运行 `lawnb reports list --dataset {folder}` 查看全部。"
    )


def _records(frame: pd.DataFrame) -> list[dict]:
    table = frame.astype(object)
    return table.where(table.notna(), None).to_dict("records")


def _canon(value: object) -> str:
    return "" if is_missing(value) else str(value).strip()


def _shown(value: object) -> str:
    return "（空）" if is_missing(value) else str(value)
