"""Year on year: each indicator of a unit against the year before, and how the years matched.

Takes a ``Dataset``, a unit and a year; gives pandas DataFrames (English column names, Chinese
values): ``year_on_year`` one row per indicator and measure with the change and its status,
``indicator_match_share(s)`` the share of the facts both years report that were matched by
catalogue id (see ``lawnb.analyse.matching`` for how facts are matched). An indicator reported
last year and not this year reads 本年报告未提及 (``NOT_MENTIONED``): a report that does not
mention a figure says nothing about the work.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from lawnb.analyse.cells import as_code, as_number, inexact, typed_frame, wording
from lawnb.analyse.matching import Pairing, pair_key, unit_results
from lawnb.store.dataset import Dataset

RISE, FALL, FLAT, NEW = "增长", "下降", "持平", "新增"
NOT_MENTIONED = "本年报告未提及"  # reported last year, not this year (formerly 消失)
CHANGE_STATUSES: tuple[str, ...] = (RISE, FALL, FLAT, NEW, NOT_MENTIONED)
BOTH_YEARS_STATUSES: tuple[str, ...] = (RISE, FALL, FLAT)

YOY_COLUMNS: tuple[str, ...] = (
    "key",
    "label",
    "measure",
    "dimension",
    "previous",
    "previous_qualifier",
    "current",
    "current_qualifier",
    "previous_wording",
    "current_wording",
    "change",
    "change_pct",
    "status",
    "approx",
    "how",
    "note",
)
MATCH_SHARE_COLUMNS: tuple[str, ...] = (
    "unit",
    "previous_year",
    "year",
    "both",
    "by_indicator",
    "by_subject",
    "share",
)


def year_on_year(dataset: Dataset, unit: str, year: int) -> pd.DataFrame:
    """Each indicator of ``unit`` in ``year`` against ``year - 1``, one row per key and measure.

    Columns: key, label, measure, dimension, previous, previous_qualifier, current,
    current_qualifier, change (current − previous; percentage points for ``%``), change_pct
    (change / previous × 100; NaN when previous is 0 or missing), status (增长, 下降, 持平,
    新增 = only this year, 本年报告未提及 = only last year), approx (True when a value present is
    approximate or a bound: 约800 → 900 is "about +100"), how (indicator | subject: how the two
    years were matched, by catalogue id or by normalised subject; for a row of one year only,
    whether its key is an id or a subject) and note (Chinese; says when a report had the key
    several times and the first was kept).

    Facts are matched by catalogue id first, then by normalised subject with the same measure
    (see ``lawnb.analyse.matching``). Rows follow this year's reading order, then last year's
    indicators this year's report does not mention. Without a ``year - 1`` report
    (``has_previous_report``) the frame is empty with these columns. A missing ``year`` report
    raises ``DatasetError``.
    """
    year = int(year)
    dataset.report_row(unit, year)
    if not has_previous_report(dataset, unit, year):
        return typed_frame([], YOY_COLUMNS)
    cur = unit_results(dataset, unit, year)
    prev = unit_results(dataset, unit, year - 1)
    rows = [_change_row(c, p, how) for c, p, how in year_pairs(cur, prev)]
    return typed_frame(rows, YOY_COLUMNS)


def has_previous_report(dataset: Dataset, unit: str, year: int) -> bool:
    """True when the dataset holds the unit's report of the year before ``year``."""
    return int(year) - 1 in dataset.years(unit)


def year_pairs(cur: pd.DataFrame, prev: pd.DataFrame) -> list[tuple[dict | None, dict | None, str]]:
    """(current, previous, how) for every result of two reports, one to one.

    This year's results come in reading order, then last year's that found no counterpart.
    All id matches are made before any subject match, so a subject match never takes a fact
    that an id match needs.
    """
    current = cur.to_dict("records")
    pairing = Pairing(prev)
    found: dict[int, tuple[dict, str]] = {}
    for how, step in (("indicator", pairing.by_indicator), ("subject", pairing.by_subject)):
        for n, c in enumerate(current):
            m = None if n in found else step(c)
            if m is not None:
                pairing.used.add(m)
                found[n] = (pairing.rows[m], how)
    pairs: list[tuple[dict | None, dict | None, str]] = []
    for n, c in enumerate(current):
        p, how = found.get(n, (None, "none"))
        pairs.append((c, p, how))
    pairs += [(None, p, "none") for m, p in enumerate(pairing.rows) if m not in pairing.used]
    return pairs


def _change_row(cur: dict | None, prev: dict | None, how: str) -> dict:
    """One row of ``year_on_year`` for a pair (either side may be absent)."""
    previous = as_number(prev["value"]) if prev is not None else float("nan")
    current = as_number(cur["value"]) if cur is not None else float("nan")
    pq = as_code(prev["qualifier"]) if prev is not None else None
    cq = as_code(cur["qualifier"]) if cur is not None else None
    if prev is None:
        status, change = NEW, float("nan")
    elif cur is None:
        status, change = NOT_MENTIONED, float("nan")
    else:
        change = round(current - previous, 10)
        status = RISE if change > 0 else FALL if change < 0 else FLAT
    pct = change / previous * 100 if prev is not None and previous != 0 else float("nan")
    notes = [
        f"{when}报告中出现{int(row['n'])}次，取第一处"
        for when, row in (("上年", prev), ("本年", cur))
        if row is not None and int(row["n"]) > 1
    ]
    one = cur if cur is not None else prev
    assert one is not None
    key, label = pair_key(one, prev if cur is not None else None)
    dimension = next(
        (r["dimension"] for r in (cur, prev) if r is not None and not pd.isna(r["dimension"])),
        None,
    )
    return {
        "key": key,
        "label": label,
        "measure": one["measure"],
        "dimension": as_code(dimension),
        "previous": previous,
        "previous_qualifier": pq,
        "current": current,
        "current_qualifier": cq,
        "previous_wording": wording(prev),
        "current_wording": wording(cur),
        "change": change,
        "change_pct": pct,
        "status": status,
        "approx": inexact(pq, cq),
        "how": how if how != "none" else one["how"],
        "note": "；".join(notes),
    }


# --- how the years matched -----------------------------------------------------------------


def indicator_match_share(dataset: Dataset, unit: str, year: int) -> float:
    """Of the facts ``unit`` reports both in ``year - 1`` and ``year``, the share matched by id.

    The facts both years report are the rows of ``year_on_year`` with 增长, 下降 or 持平; the
    share is those matched by catalogue id (``how`` = indicator) over all of them. NaN when the
    two reports have nothing in common or there is no ``year - 1`` report.
    """
    both, by_indicator = _match_counts(year_on_year(dataset, unit, year))
    return by_indicator / both if both else float("nan")


def _match_counts(table: pd.DataFrame) -> tuple[int, int]:
    """(facts both years report, of which matched by catalogue id) in a year-on-year table."""
    both = table[table["status"].isin(BOTH_YEARS_STATUSES)]
    return len(both), int((both["how"] == "indicator").sum())


def indicator_match_shares(dataset: Dataset, units: Sequence[str] | None = None) -> pd.DataFrame:
    """``indicator_match_share`` for every same-unit pair of consecutive report years.

    One row per unit and pair of years (unit, previous_year, year) with ``both`` (facts both
    years report), ``by_indicator`` and ``by_subject`` (how they were matched) and ``share``
    (by_indicator / both; NaN when both is 0). ``units`` defaults to all units of the dataset.
    """
    rows = []
    for unit in units if units is not None else dataset.units():
        years = dataset.years(unit)
        for year in years:
            if year - 1 not in years:
                continue
            both, by_indicator = _match_counts(year_on_year(dataset, unit, year))
            rows.append(
                {
                    "unit": unit,
                    "previous_year": year - 1,
                    "year": year,
                    "both": both,
                    "by_indicator": by_indicator,
                    "by_subject": both - by_indicator,
                    "share": by_indicator / both if both else float("nan"),
                }
            )
    frame = pd.DataFrame(rows, columns=list(MATCH_SHARE_COLUMNS))
    return frame.astype(
        {
            "unit": "str",
            "previous_year": "int64",
            "year": "int64",
            "both": "int64",
            "by_indicator": "int64",
            "by_subject": "int64",
            "share": "float64",
        }
    )
