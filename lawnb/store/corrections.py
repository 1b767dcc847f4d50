"""Analysts' manual corrections: ``manual.csv`` or ``manual.xlsx`` in the dataset folder.

The file has the facts columns plus ``action`` (edit, add or delete) and ``reason``; headers
and codes may also be the Chinese ones of an exported workbook (数据编号, 操作 修改/新增/删除 …).

- ``edit``: the fact ``fact_id`` of ``report_id`` takes every non-blank cell of the row; a
  blank cell keeps the extracted value, ``（空）`` empties it. Columns may be left out.
- ``add``: a new fact (``fact_id`` may be blank: one is made from its content).
- ``delete``: the fact is dropped.

Corrections are applied when the dataset is loaded, so ``facts.csv`` stays as extracted and a
re-import never loses one. A correction whose fact no longer exists (after a revised report was
imported) is listed in ``Dataset.unapplied_corrections`` and by ``lawnb check``, never dropped.
When a revised report moves a fact, the import records its new id (``fact_aliases`` in the
manifest), so the correction follows it.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

import pandas as pd

from lawnb.errors import DatasetError
from lawnb.fileio import write_frame
from lawnb.formatting import is_missing
from lawnb.labels import from_labels
from lawnb.schema import FACT_COLUMNS
from lawnb.store.column_rules import CLEAR, RULES, Rule
from lawnb.store.sheets import TableReadError, read_csv_table, read_excel_table, records
from lawnb.store.validation import (
    Problem,
    first_alike,
    first_of_duplicates,
    named_check,
    validate_text_table,
)

MANUAL_FILES = ("manual.csv", "manual.xlsx")
CORRECTION_COLUMNS: tuple[str, ...] = (*FACT_COLUMNS, "action", "reason")
UNAPPLIED_COLUMNS: tuple[str, ...] = (
    "file",
    "line",
    "action",
    "report_id",
    "fact_id",
    "subject",
    "value",
    "reason",
    "problem",
)
# Columns a correction file must have; the other facts columns are optional.
REQUIRED_COLUMNS = ("report_id", "fact_id", "action", "reason")
# Facts columns a correction never sets: the origin of a corrected fact is always "manual".
_KEYS = ("report_id", "fact_id")
_ADD_REQUIRED = ("subject", "value", "measure")
ADD_DEFAULTS = {"qualifier": "exact", "kind": "achievement"}


def _rules() -> dict[str, Rule]:
    rules = {
        name: replace(rule, required=False, report=False, clearable=not rule.required)
        for name, rule in RULES["facts"].items()
    }
    rules["report_id"] = Rule(required=True, report=True)
    rules["action"] = Rule(required=True, vocabulary="action")
    rules["reason"] = Rule(required=True)
    return rules


def manual_file(folder: Path) -> Path | None:
    """The corrections file of a dataset folder, or None; both manual.csv and .xlsx is an error."""
    found = [Path(folder) / name for name in MANUAL_FILES if (Path(folder) / name).exists()]
    if len(found) > 1:
        raise DatasetError(
            f"{folder}: 同时有 manual.csv 和 manual.xlsx。请把修正合并到其中一个文件，删除另一个。"
        )
    return found[0] if found else None


def empty_corrections() -> pd.DataFrame:
    """A corrections table with no rows (every column text)."""
    return pd.DataFrame(columns=[*CORRECTION_COLUMNS, "line"], dtype=object)


def empty_unapplied() -> pd.DataFrame:
    """An unapplied-corrections table with no rows."""
    return pd.DataFrame(columns=list(UNAPPLIED_COLUMNS), dtype=object)


def read_corrections(
    folder: Path, report_ids: set[str] | None = None
) -> tuple[pd.DataFrame, list[Problem]]:
    """The corrections of a dataset folder as text (``line`` = their line) and their problems.

    ``report_ids`` are the dataset's reports: a correction of any other report is a problem.
    """
    file = manual_file(folder)
    if file is None:
        return empty_corrections(), []
    try:
        raw = read_excel_table(file) if file.suffix == ".xlsx" else read_csv_table(file)
    except TableReadError as exc:
        return empty_corrections(), [Problem(exc.file, exc.line, None, exc.detail)]
    return check_corrections(raw, str(file), report_ids)


def check_corrections(
    raw: pd.DataFrame, file: str, report_ids: set[str] | None = None
) -> tuple[pd.DataFrame, list[Problem]]:
    """A text corrections table (English or Chinese headers) checked and completed."""
    table = from_labels(raw, "facts")
    headers = dict(zip(table.columns, raw.columns, strict=True))
    problems = validate_text_table(
        table,
        "corrections",
        file,
        report_ids=report_ids,
        rules=_rules(),
        required_columns=REQUIRED_COLUMNS,
        allow_clear=True,
        row_checks=_row_checks(table),
        messages=_ROW_MESSAGES,
    )
    problems = [replace(p, column=headers.get(p.column, p.column)) for p in problems]
    if problems:
        return empty_corrections(), problems
    table = table.reindex(columns=list(CORRECTION_COLUMNS)).astype(object)
    table["line"] = table.index
    table = with_add_ids(table.reset_index(drop=True))
    return table, []


def _row_checks(table: pd.DataFrame) -> list:
    if "action" not in table or "fact_id" not in table or "report_id" not in table:
        return []
    checks = [
        named_check(
            lambda f: ~(f["action"].isin(["edit", "delete"]) & f["fact_id"].isna()), "target"
        ),
        named_check(
            lambda f: first_of_duplicates(f, ["report_id", "fact_id"]) | f["fact_id"].isna(),
            "twice",
        ),
    ]
    for column in _ADD_REQUIRED:
        if column in table:
            checks.append(
                named_check(
                    lambda f, c=column: ~((f["action"] == "add") & f[c].isna()), f"add_{column}"
                )
            )
    return checks


def _twice(frame: pd.DataFrame, line: int | None) -> str:
    first = first_alike(frame, line, ["report_id", "fact_id"])
    return f"与第 {first} 行修正的是同一条数据。请把两行合并为一行。"


_ROW_MESSAGES = {
    "target": lambda f, line: "修改（edit）和删除（delete）须填写 fact_id（要修正的数据编号）。",
    "twice": _twice,
    **{f"add_{c}": (lambda f, line, c=c: f"新增（add）的数据须填写 {c}。") for c in _ADD_REQUIRED},
}


def with_add_ids(corrections: pd.DataFrame) -> pd.DataFrame:
    """Corrections where each ``add`` without a fact_id gets one made from its content."""
    out = corrections.copy()
    blank = (out["action"] == "add") & out["fact_id"].isna()
    out.loc[blank, "fact_id"] = [added_fact_id(row) for _, row in out[blank].iterrows()]
    return out


def added_fact_id(row: pd.Series) -> str:
    """A stable id for a manually added fact: "M" and a hash of what it says."""
    parts = [row.get(c) for c in ("report_id", "section", "subject", "value", "measure", "kind")]
    key = "|".join("" if p is None or pd.isna(p) else str(p) for p in parts)
    return "M" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]


def resolve(fact_id: str, aliases: dict[str, str]) -> str:
    """The current id of a fact, following the ids recorded when revised reports moved it."""
    seen = {fact_id}
    while fact_id in aliases and aliases[fact_id] not in seen:
        fact_id = aliases[fact_id]
        seen.add(fact_id)
    return fact_id


def apply_corrections(
    facts: pd.DataFrame,
    corrections: pd.DataFrame,
    *,
    report_ids: set[str],
    aliases: dict[str, str] | None = None,
    file: str = "manual.csv",
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The facts with the corrections applied (object columns), and the corrections not applied.

    ``report_ids`` are the dataset's reports (an ``add`` to another report is not applied).
    """
    out = facts.astype(object).reset_index(drop=True)
    where = {
        (r, f): i for i, (r, f) in enumerate(zip(out["report_id"], out["fact_id"], strict=True))
    }
    added, dropped, unapplied = [], set(), []
    for row in corrections.to_dict("records"):
        key = (row["report_id"], resolve(row["fact_id"], aliases or {}))
        problem = _problem(row, key, where, report_ids)
        if problem:
            unapplied.append(_unapplied(row, file, problem))
        elif row["action"] == "add":
            added.append(_added(row))
        elif row["action"] == "delete":
            dropped.add(where[key])
        else:
            _edit(out, where[key], row)
    out = out.drop(index=sorted(dropped))
    if added:
        out = pd.concat([out, pd.DataFrame(added, columns=list(FACT_COLUMNS))], ignore_index=True)
    table = pd.DataFrame(unapplied, columns=list(UNAPPLIED_COLUMNS)) if unapplied else None
    return out.reset_index(drop=True), table if table is not None else empty_unapplied()


def _problem(row: dict, key: tuple[str, str], where: dict, report_ids: set[str]) -> str:
    report_id, fact_id = key
    if row["action"] == "add":
        if report_id not in report_ids:
            return f"报告 {report_id} 不在数据集中，无法新增。请改正报告编号，或先导入该报告。"
        if key in where:
            return f"数据编号 {fact_id} 已存在。新增的数据请把 fact_id 留空或改用新编号。"
        return ""
    if key not in where:
        return (
            f"要{'删除' if row['action'] == 'delete' else '修改'}的数据 {row['fact_id']} 已不存在"
            "（重新导入的报告中没有这条数据）。请核对报告，改正 fact_id 或删除这条修正。"
        )
    return ""


def _unapplied(row: dict, file: str, problem: str) -> dict:
    out = {c: row.get(c) for c in UNAPPLIED_COLUMNS if c in row}
    return {**out, "file": file, "line": row.get("line"), "problem": problem}


def _added(row: dict) -> dict:
    fact = {c: _cell(row.get(c)) for c in FACT_COLUMNS}
    for column, default in ADD_DEFAULTS.items():
        fact[column] = fact[column] if fact[column] is not None else default
    if fact["dimension"] is None and fact["indicator"]:
        fact["dimension"] = _indicator_dimension(fact["indicator"])
    return {**fact, "origin": "manual"}


def _edit(facts: pd.DataFrame, index: int, row: dict) -> None:
    for column in FACT_COLUMNS:
        if column in _KEYS or column == "origin":
            continue
        value = row.get(column)
        if value is not None and not pd.isna(value):
            facts.at[index, column] = _cell(value)
    facts.at[index, "origin"] = "manual"
    if "review" in facts.columns and is_blank(row.get("review")):
        facts.at[index, "review"] = pd.NA  # an analyst's edit is the check the figure awaited


def is_blank(value: object) -> bool:
    return value is None or (not isinstance(value, str) and bool(pd.isna(value))) or value == ""


def _cell(value: object) -> object:
    if value is None or (not isinstance(value, str) and pd.isna(value)) or value in CLEAR:
        return None
    return value


def _indicator_dimension(indicator_id: str) -> str | None:
    from lawnb.extract.catalog import get_indicator

    indicator = get_indicator(indicator_id)
    return indicator.dimension if indicator else None


# --- writing ------------------------------------------------------------------------------------


def write_corrections(folder: Path, corrections: pd.DataFrame, *, name: str | None = None) -> Path:
    """Write the corrections to the folder's manual file (manual.csv unless .xlsx exists), atomically.

    ``name`` (one of ``MANUAL_FILES``) picks the file instead, e.g. in a staging folder.
    """
    file = Path(folder) / name if name else manual_file(folder) or Path(folder) / "manual.csv"
    table = corrections.reindex(columns=list(CORRECTION_COLUMNS))
    return write_frame(table, file, sheet_name="人工修正")


# --- merging new corrections into the file ------------------------------------------------------

_NUMERIC = {"value": "float", "start": "int", "end": "int"}


def canon(column: str, value: object) -> str | None:
    """A cell as comparable text: None for blank, numbers normalised (``12.0`` and ``12`` agree)."""
    if is_missing(value):
        return None
    text = str(value).strip()
    if column in _NUMERIC and text not in CLEAR:
        number = pd.to_numeric(text, errors="coerce")
        if not pd.isna(number):
            return repr(float(number))
    return text


def merge_corrections(
    existing: pd.DataFrame,
    new: pd.DataFrame,
    extracted: pd.DataFrame,
    aliases: dict[str, str] | None = None,
) -> pd.DataFrame:
    """The corrections file after adding ``new`` corrections (text tables, same columns).

    A new edit of a fact already corrected is merged into the earlier row; a delete of an added
    fact removes the addition; edit cells equal to the extracted value are dropped (a row left
    with no change is removed: the analyst reverted it). Earlier rows get the facts' current ids.
    """
    rows: dict[tuple[str, str], dict] = {}
    for row in _records(with_add_ids(existing)):
        if row["action"] != "add":
            row["fact_id"] = resolve(row["fact_id"], aliases or {})
        rows[row["report_id"], row["fact_id"]] = row
    for row in _records(with_add_ids(new)):
        key = (row["report_id"], row["fact_id"])
        combined = _combine(rows.get(key), row)
        if combined is None:
            rows.pop(key, None)
        else:
            rows[key] = combined
    originals = _by_key(extracted)
    kept = [
        _pruned(row, originals.get((row["report_id"], row["fact_id"]))) for row in rows.values()
    ]
    out = pd.DataFrame([r for r in kept if r], columns=list(CORRECTION_COLUMNS), dtype=object)
    return out if not out.empty else empty_corrections().drop(columns="line")


def _records(frame: pd.DataFrame) -> list[dict]:
    return records(frame.reindex(columns=list(CORRECTION_COLUMNS)))


def _by_key(facts: pd.DataFrame) -> dict[tuple[str, str], dict]:
    return {(r["report_id"], r["fact_id"]): r for r in records(facts)}


def _combine(old: dict | None, new: dict) -> dict | None:
    """One correction from an earlier one and a newer one of the same fact (None: no correction)."""
    if old is None or new["action"] == "add":
        return new
    if new["action"] == "delete":
        return None if old["action"] == "add" else new
    if old["action"] == "delete":
        return new
    merged = dict(old)
    for column in FACT_COLUMNS:
        if column not in _KEYS and new.get(column) is not None:
            merged[column] = (
                None if new[column] in CLEAR and old["action"] == "add" else new[column]
            )
    merged["reason"] = new.get("reason") or old.get("reason")
    return merged


def _pruned(row: dict, original: dict | None) -> dict | None:
    """An edit without the cells that equal the extracted fact; None when nothing is left."""
    if row["action"] != "edit" or original is None:
        return row
    out = dict(row)
    for column in FACT_COLUMNS:
        if column in _KEYS or column == "origin" or out.get(column) is None:
            continue
        wanted = None if out[column] in CLEAR else canon(column, out[column])
        if wanted == canon(column, original.get(column)):
            out[column] = None
    changes = [c for c in FACT_COLUMNS if c not in (*_KEYS, "origin") and out.get(c) is not None]
    return out if changes else None
