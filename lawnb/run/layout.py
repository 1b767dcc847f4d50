"""Which notebooks ``lawnb run`` makes and where their pages go: ``outputs/<year>/<district>/``.

Gives the notebooks' Chinese names, the file stem of a district overview, the folder of a
district (``未知区县`` for none) and the year read from a folder name or a parameter. The
planner, the index and the CLI all take these from here.
"""

from __future__ import annotations

from typing import Any

from lawnb.names import NO_DISTRICT, is_report_year

#: The notebooks ``lawnb run`` can run, with the Chinese name a reader sees (index, CLI).
NOTEBOOKS: dict[str, str] = {
    "annual_report": "单位年度报告分析",
    "district_overview": "区县年度汇总",
}
#: Chinese names of every bundled notebook, including those run by hand.
NOTEBOOK_NAMES: dict[str, str] = {**NOTEBOOKS, "explore": "交互探索"}
#: The notebook that makes one page per district rather than one per report.
OVERVIEW_NOTEBOOK = "district_overview"
#: The file name (without suffix) of a district's overview in ``outputs/<year>/<district>/``.
OVERVIEW_STEM = "汇总"


def output_folder(district: str) -> str:
    """The folder under ``outputs/<year>/`` for a district's pages (``未知区县`` for none)."""
    return district or NO_DISTRICT


def district_of_folder(folder: str) -> str:
    """The district whose pages a folder under ``outputs/<year>/`` holds ("" for 未知区县)."""
    return "" if folder == NO_DISTRICT else folder


def year_of(value: Any) -> int | None:
    """A report year read from a folder name or a parameter (``"2021"``, ``2021``), else None."""
    try:
        year = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return year if is_report_year(year) else None
