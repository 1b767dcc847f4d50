"""Comparisons over a dataset: year on year, trends, last year's targets, the district view.

Pure functions: a ``Dataset`` in, pandas DataFrames out, with English column names and
Chinese values wherever a user reads them. Nothing here reads files or draws. This module is
the one place to import them from; each lives in a module of its own:

- ``lawnb.analyse.matching``: how facts of two reports are recognised as the same indicator
  (catalogue id first, then normalised subject; never across measures): ``normalize_subject``,
  ``indicator_key``;
- ``lawnb.analyse.changes``: ``year_on_year`` and ``indicator_match_share(s)``;
- ``lawnb.analyse.series``: ``trends``;
- ``lawnb.analyse.promises``: ``targets`` (promises kept);
- ``lawnb.analyse.district_tables``: ``district`` (the units of a district side by side).

An indicator reported last year and not this year reads 本年报告未提及 (``NOT_MENTIONED``): a
report that does not mention a figure says nothing about the work.
"""

from __future__ import annotations

from lawnb.analyse.changes import (
    BOTH_YEARS_STATUSES,  # noqa: F401 (the table columns and statuses, importable from here too)
    CHANGE_STATUSES,
    MATCH_SHARE_COLUMNS,
    NOT_MENTIONED,
    YOY_COLUMNS,  # noqa: F401
    indicator_match_share,
    indicator_match_shares,
    year_on_year,
)
from lawnb.analyse.district_tables import (
    DISTRICT_NOTE,  # noqa: F401
    KEY_INDICATOR_FIELDS,  # noqa: F401
    district,
)
from lawnb.analyse.matching import indicator_key, normalize_subject
from lawnb.analyse.promises import TARGET_COLUMNS, targets  # noqa: F401
from lawnb.analyse.series import TREND_COLUMNS, trends  # noqa: F401
from lawnb.schema import TARGET_STATUSES

__all__ = [
    "CHANGE_STATUSES",
    "MATCH_SHARE_COLUMNS",
    "NOT_MENTIONED",
    "TARGET_STATUSES",
    "district",
    "indicator_key",
    "indicator_match_share",
    "indicator_match_shares",
    "normalize_subject",
    "targets",
    "trends",
    "year_on_year",
]
