"""Helpers shared by the comparison tests (lawnb.analyse's changes, promises, series and district tables)."""

from __future__ import annotations

import dataclasses
import math

import pandas as pd

import lawnb
from lawnb.store.dataset import Dataset
from lawnb.store.importing.rows import report_tables
from lawnb.store.loading import concat


def row(frame: pd.DataFrame, key: str, measure: str | None = None) -> pd.Series:
    rows = frame[frame["key"] == key]
    if measure is not None:
        rows = rows[rows["measure"] == measure]
    assert len(rows) == 1, f"{key}: {len(rows)} rows in\n{frame}"
    return rows.iloc[0]


def is_nan(x: object) -> bool:
    return isinstance(x, float) and math.isnan(x)


def with_facts(dataset, facts):
    return dataclasses.replace(dataset, facts=facts.reset_index(drop=True))


def without_ids(dataset, report_id):
    facts = dataset.facts.copy()
    facts.loc[facts["report_id"] == report_id, "indicator"] = pd.NA
    return with_facts(dataset, facts)


# Two fictional reports of one town, written for these tests: the same work worded differently.
QINGLIU_2022 = """虚构区青柳镇2022年度法治政府建设情况报告
一、主要举措和成效
全年检查企业120家次，组织执法人员集中培训3次。开展普法宣传活动12场次。配合开展全员核酸检测20轮。
二、下一年度工作安排
计划组织执法人员培训不少于4次，开展普法宣传活动不少于15场次。
"""
QINGLIU_2023 = """虚构区青柳镇2023年度法治政府建设情况报告
一、主要举措和成效
全年检查辖区经营主体136家次，开展执法人员业务培训5次。举办普法宣传活动14场次。
"""


def fictional(*texts: str) -> Dataset:
    """A dataset of fictional reports, read and extracted the way an import does."""
    tables = [report_tables(lawnb.read_report(text)) for text in texts]
    return Dataset(
        *(
            concat([getattr(t, name) for t in tables], name)
            for name in ("reports", "sections", "facts")
        )
    )
