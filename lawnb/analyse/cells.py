"""Cells of the comparison tables: values read from fact records, and frames with stable dtypes.

Takes fact records (``dict`` rows of a facts table, or None when a side of a pair is absent)
and gives the values a comparison row holds: a float (NaN when missing), a code or None, the
qualifier as the report wrote it. ``typed_frame`` turns the rows into a DataFrame whose dtypes
do not depend on whether it is empty.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from lawnb.formatting import is_missing

FLOAT_COLUMNS = frozenset(
    {"previous", "current", "change", "change_pct", "value", "target", "result"}
)
BOOL_COLUMNS = frozenset({"approx", "next_year_report"})


def as_text(value: object) -> str:
    """A text cell: ``""`` for a missing value."""
    return "" if is_missing(value) else str(value)


def as_number(value: object) -> float:
    """A number cell: NaN for a missing value."""
    return float("nan") if is_missing(value) else float(value)  # type: ignore[arg-type]


def as_code(value: object) -> str | None:
    """A code cell (qualifier, dimension): None for a missing value."""
    return None if is_missing(value) else str(value)


def wording(row: dict | None) -> str | None:
    """The qualifier as the report wrote it (余, 以上 …), or None."""
    if row is None:
        return None
    value = row.get("wording")
    return None if is_missing(value) else str(value)


def inexact(*qualifiers: str | None) -> bool:
    """True when any present value is approximate or a bound (约, 余, 以上, 以内)."""
    return any(q is not None and q != "exact" for q in qualifiers)


def typed_frame(rows: Iterable[dict], columns: Sequence[str]) -> pd.DataFrame:
    """Rows as a frame with stable dtypes, also when empty: floats, bools, int year, else str."""
    frame = pd.DataFrame(list(rows), columns=list(columns))
    return frame.astype({c: _dtype(c) for c in columns})


def _dtype(column: str) -> str:
    if column in FLOAT_COLUMNS:
        return "float64"
    if column in BOOL_COLUMNS:
        return "bool"
    return "int64" if column == "year" else "str"
