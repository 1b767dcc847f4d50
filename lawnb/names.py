"""The one rule for names that become report ids and file names, and for report years.

A unit or district name is part of a ``report_id`` (``district/unit/year``) and of an output
path (``outputs/<year>/<district>/<unit>.html``): it must hold no path syntax and no control
character. Every stage checks names and years with these, so they cannot drift apart.
"""

from __future__ import annotations

import re
from typing import Any

#: Path separators, control characters, a leading dot, ``..`` and a drive letter.
UNSAFE_NAME = re.compile(r"[/\\\x00-\x1f\x7f]|^\.|\.\.|^[A-Za-z]:")
#: The years a report can be about (inclusive).
YEAR_RANGE = (1990, 2100)
#: The folder under ``outputs/<year>/`` for the pages of units whose district is not known.
NO_DISTRICT = "未知区县"


def is_unsafe_name(value: str) -> bool:
    """True when ``value`` cannot be used as a name in a report id or a file name."""
    return bool(UNSAFE_NAME.search(value))


def is_report_year(value: Any) -> bool:
    """True for an ``int`` (not a ``bool``) within ``YEAR_RANGE``."""
    return (
        isinstance(value, int)
        and not isinstance(value, bool)
        and YEAR_RANGE[0] <= value <= YEAR_RANGE[1]
    )


def year_range_text() -> str:
    """The year range as a reader sees it: ``1990–2100``."""
    return f"{YEAR_RANGE[0]}–{YEAR_RANGE[1]}"


def report_id(district: str | None, unit: str | None, year: int | str | None) -> str:
    """The key of a report in a dataset: ``district/unit/year`` (a blank part stays empty)."""
    return "/".join("" if part is None else str(part) for part in (district, unit, year))
