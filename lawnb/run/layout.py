"""Which notebooks ``lawnb run`` makes and where their pages go: ``outputs/<year>/<district>/``.

Gives the notebooks' Chinese names, the file stem of a district overview, the folder of a
district (``未知区县`` for none) and the year read from a folder name or a parameter. The
planner, the index and the CLI all take these from here.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from lawnb.errors import ParamsError
from lawnb.names import NAME_RULE_TEXT, NO_DISTRICT, is_report_year, name_problem, shown_name

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


def page_stem(year_folder: Path, district: str, stem: str, where: str) -> Path:
    """``<year_folder>/<district>/<stem>``, the output path of a page (without suffix).

    The district and the stem (a unit, or ``OVERVIEW_STEM``) are checked by the rule of
    ``lawnb.names`` whatever their origin (a dataset edited by hand, a params file), and the
    path must stay inside ``year_folder``: a ``ParamsError`` naming ``where`` and the field.
    """
    for what, name in (("区县名称 (district)", district), ("单位名称 (unit)", stem)):
        problem = "不能为空" if what.startswith("单位") and not name.strip() else name_problem(name)
        if problem:
            raise ParamsError(
                f"{where}: {what} {shown_name(name)} {problem}，不能用作输出文件名。"
                f"请在数据集的 reports.csv 中改正这个名称（{NAME_RULE_TEXT}），"
                "然后运行 `lawnb check --dataset 数据集` 检查。"
            )
    base = Path(year_folder).resolve()
    path = base / output_folder(district) / stem
    if Path(os.path.normpath(path)).parent.parent != base:  # the rule above makes this impossible
        raise ParamsError(f"{where}: 输出路径 {shown_name(path)} 不在 {base} 之内。")
    return path


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
