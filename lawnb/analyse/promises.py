"""Promises kept: the targets of one year's report against the results of the next year's.

Takes a ``Dataset``, a unit and a year; gives one row per target of that year's report with
next year's matching result (matched as ``lawnb.analyse.matching`` describes) and a status
(已完成 | 未完成 | 无可比数据, ``lawnb.schema.TARGET_STATUSES``) and the two sentences as
evidence.
"""

from __future__ import annotations

import pandas as pd

from lawnb.analyse.cells import as_code, as_number, as_text, typed_frame, wording
from lawnb.analyse.matching import Pairing, keyed_facts, pair_key, unit_results
from lawnb.schema import TARGET_STATUSES
from lawnb.store.dataset import Dataset

MET, MISSED, NO_RESULT = TARGET_STATUSES  # 已完成, 未完成, 无可比数据

TARGET_COLUMNS: tuple[str, ...] = (
    "key",
    "label",
    "target",
    "target_qualifier",
    "measure",
    "result",
    "result_qualifier",
    "target_wording",
    "result_wording",
    "status",
    "how",
    "evidence_target",
    "evidence_result",
    "next_year_report",
)


def targets(dataset: Dataset, unit: str, year: int) -> pd.DataFrame:
    """Each target of ``unit``'s ``year`` report against the results reported for ``year + 1``.

    Columns: key, label, target, target_qualifier, measure, result, result_qualifier, status
    (已完成 | 未完成 | 无可比数据), how (indicator | subject | none), evidence_target and
    evidence_result (the sentences, empty when the dataset holds none) and next_year_report.

    A target of 不少于/约/exact is 已完成 when result ≥ target, an at_most target (不超过, 控制在
    …以内) when result ≤ target; the result's own qualifier is ignored (4,000余 counts as 4000).
    The result is next year's figure with the target's catalogue id and measure, else with its
    normalised subject and measure (``how``: indicator | subject | none). Without one the
    status is 无可比数据. When the dataset has no ``year + 1`` report, every status is
    无可比数据 and the column ``next_year_report`` is False: these are the promises to check
    next year.
    """
    year = int(year)
    facts = dataset.facts_for(unit, year)
    goals = keyed_facts(facts[facts["kind"] == "target"])
    has_next = year + 1 in dataset.years(unit)
    pairing = Pairing(unit_results(dataset, unit, year + 1))
    rows = []
    for g in goals.to_dict("records"):
        r, how = pairing.find(g)
        key, label = pair_key(g, r)
        target = as_number(g["value"])
        tq = as_code(g["qualifier"]) or "exact"
        result = as_number(r["value"]) if r is not None else float("nan")
        if r is None or pd.isna(target):
            status = NO_RESULT
        elif tq == "at_most":
            status = MET if result <= target else MISSED
        else:
            status = MET if result >= target else MISSED
        rows.append(
            {
                "key": key,
                "label": label,
                "target": target,
                "target_qualifier": tq,
                "measure": g["measure"] or None,
                "result": result,
                "result_qualifier": as_code(r["qualifier"]) if r is not None else None,
                "target_wording": wording(g),
                "result_wording": wording(r),
                "status": status,
                "how": how,
                "evidence_target": as_text(g["sentence"]),
                "evidence_result": as_text(r["sentence"]) if r is not None else "",
                "next_year_report": has_next,
            }
        )
    out = typed_frame(rows, TARGET_COLUMNS)
    return out
