"""Trends: one unit's indicators as tidy series across its report years.

Takes a ``Dataset``, a unit, optionally the indicators and years wanted; gives a tidy
DataFrame (year, key, label, value, measure, qualifier) with a row for every selected series
and year, NaN where a year has no figure, so a chart shows a gap rather than a 0. Facts are
matched across years as ``lawnb.analyse.matching`` describes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from lawnb.analyse.cells import as_code, as_number, typed_frame
from lawnb.analyse.matching import check_unit, key_label, normalize_subject, unit_results
from lawnb.store.dataset import Dataset

TREND_COLUMNS: tuple[str, ...] = ("year", "key", "label", "value", "measure", "qualifier")


def trends(
    dataset: Dataset,
    unit: str,
    indicators: Sequence[str] | str | None = None,
    years: Iterable[int] | None = None,
) -> pd.DataFrame:
    """A tidy series per indicator of one unit: year, key, label, value, measure, qualifier.

    Every selected (key, measure) gets a row for every year; a year without that figure (or
    without a report) has value NaN, never 0, so charts show a gap. ``indicators`` selects keys
    by catalogue id, by label, or by subject (normalised like the facts', also the subject of a
    fact keyed by its catalogue id); a fact without an id takes the id of another year's fact
    with its normalised subject and measure. A selector that matches nothing still gets NaN
    rows so a chart shows "no data" rather than nothing. By default the keys present in at
    least two years are kept. ``years`` defaults to the unit's report years. Rows are ordered
    by indicator (first appearance) then year.
    """
    check_unit(dataset, unit)
    years = sorted({int(y) for y in (years if years is not None else dataset.years(unit))})
    frames = [unit_results(dataset, unit, y).assign(year=y) for y in years]
    frames = [f for f in frames if not f.empty]
    found = pd.concat(frames, ignore_index=True) if frames else unit_results(dataset, unit, 0)
    if "year" not in found.columns:
        found["year"] = pd.Series(dtype="int64")
    found = _align_keys(found)
    series: list[tuple[str, str, str]] = []  # (key, measure, label)
    pairs = list(dict.fromkeys(zip(found["key"], found["measure"], found["label"], strict=True)))
    subjects: dict[tuple[str, str], set[str]] = {}  # the normalised subjects behind each key
    for k, m, norm in zip(found["key"], found["measure"], found["norm"], strict=True):
        subjects.setdefault((k, m), set()).add(norm)
    if indicators is None:
        counts = found.groupby(["key", "measure"], sort=False)["year"].nunique()
        series = [(k, m, lab) for k, m, lab in pairs if counts.get((k, m), 0) >= 2]
    else:
        for selector in [indicators] if isinstance(indicators, str) else indicators:
            wanted = {str(selector), normalize_subject(selector)}
            hits = [
                (k, m, lab)
                for k, m, lab in pairs
                if k in wanted or lab in wanted or wanted & subjects.get((k, m), set())
            ]
            if not hits:
                how = "indicator" if "." in str(selector) and str(selector).isascii() else "subject"
                key = str(selector) if how == "indicator" else normalize_subject(selector)
                hits = [(key, None, key_label(key, how))]
            series.extend(h for h in hits if h not in series)
    values: dict[tuple[str, str, int], dict] = {}
    for r in found.to_dict("records"):
        values.setdefault((r["key"], r["measure"], int(r["year"])), r)
    rows = []
    for key, measure, label in series:
        for y in years:
            r = values.get((key, measure, y))
            rows.append(
                {
                    "year": y,
                    "key": key,
                    "label": label,
                    "value": as_number(r["value"]) if r is not None else float("nan"),
                    "measure": measure or None,
                    "qualifier": as_code(r["qualifier"]) if r is not None else None,
                }
            )
    return typed_frame(rows, TREND_COLUMNS)


def _align_keys(found: pd.DataFrame) -> pd.DataFrame:
    """Facts without an id take the id another year's fact with their subject and measure has.

    So a series is one indicator across years even when one report was read before the
    catalogue knew the figure (matching by id first, then by normalised subject).
    """
    if found.empty:
        return found
    known: dict[tuple[str, str], str] = {}
    for i, norm, measure in zip(found["id"], found["norm"], found["measure"], strict=True):
        if i is not None and norm:
            known.setdefault((norm, measure), i)
    if not known:
        return found
    out = found.copy()
    for n, (i, norm, measure) in enumerate(
        zip(found["id"], found["norm"], found["measure"], strict=True)
    ):
        if i is None and (norm, measure) in known:
            key = known[(norm, measure)]
            out.iloc[n, out.columns.get_loc("key")] = key
            out.iloc[n, out.columns.get_loc("label")] = key_label(key, "indicator")
    return out
