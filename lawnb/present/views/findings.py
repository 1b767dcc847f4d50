"""The structure findings of a report (``lawnb.analyse.audit``) as a page shows them.

Takes the dataset and a unit-year; gives the findings table and a Markdown list, problems
first (or a sentence saying there are none).
"""

from __future__ import annotations

import pandas as pd

from lawnb.present.display import text
from lawnb.store.dataset import Dataset

SEVERITY_LABELS = {"error": "问题", "warning": "提示", "info": "说明"}


def findings(dataset: Dataset, unit: str, year: int) -> pd.DataFrame:
    """The structure findings of one unit-year (``lawnb.analyse.audit``), from the dataset's tables."""
    from lawnb.analyse.audit_tables import audit_from_tables

    row = dataset.report_row(unit, year)
    return audit_from_tables(row, dataset.sections_for(unit, year), dataset.facts_for(unit, year))


def findings_md(found: pd.DataFrame) -> str:
    """The findings as a Markdown list, problems first; or a sentence saying there are none."""
    if found.empty:
        return "未发现结构问题：法定的主要部分齐全，编号连续，成效部分有量化数据，下步安排有可量化目标。"
    lines = [
        f"- **{SEVERITY_LABELS.get(str(f.severity), f.severity)}**：{text(f.message)}"
        for f in found.itertuples()
    ]
    return "\n".join(lines)
