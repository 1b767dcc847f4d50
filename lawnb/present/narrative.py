"""Chinese sentences from tables: a headline, a paragraph per dimension, changes and targets.

Every number in a sentence comes from the table passed in (a value, or a count or change
computed from the values); nothing is copied from report text. Qualifiers survive: an
approximate value stays approximate (约800名), a floor stays a floor (不少于8次).

Numbers are written by ``lawnb.formatting``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lawnb.errors import LawnbError
from lawnb.formatting import (
    check_qualifier,
    format_number,
    format_percent,
    format_value,
    is_missing,
    measure_text,
)
from lawnb.labels import KIND_NAMES, ORIGIN_LABELS
from lawnb.schema import DIMENSIONS, TARGET_STATUSES

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "change_sentence",
    "derived_mark",
    "dimension_paragraphs",
    "fact_label",
    "headline",
    "target_sentence",
]


_UNCLASSIFIED = "未归类指标"


def fact_label(row: Any) -> str:
    """What a fact counts: its subject, else its indicator id, else a placeholder."""
    for key in ("subject", "indicator"):
        v = row.get(key) if hasattr(row, "get") else None
        if not is_missing(v):
            return str(v)
    return "未命名指标"


def derived_mark(row: Any) -> str:
    """``（推算）`` after a value the report did not state but lawnb derived; else ``""``."""
    return f"（{ORIGIN_LABELS['derived']}）" if row.get("origin") == "derived" else ""


def _item(row: Any) -> str:
    value = format_value(row["value"], row.get("measure"), row.get("qualifier"), row.get("wording"))
    return fact_label(row) + value + derived_mark(row)


def _valued(facts: pd.DataFrame) -> pd.DataFrame:
    """Rows with a value, in table order."""
    if "value" not in facts.columns:
        return facts.iloc[0:0]
    return facts[facts["value"].notna()]


def _kinds(facts: pd.DataFrame) -> pd.Series:
    """The kind of each row; a missing kind counts as an achievement."""
    if "kind" not in facts.columns:
        return facts.index.to_series(index=facts.index).map(lambda _: "achievement")
    return facts["kind"].where(facts["kind"].notna(), "achievement")


def headline(facts: pd.DataFrame, *, unit: str, year: int, top: int = 5) -> str:
    """The year's headline: how many figures the report has, by kind, and the largest ones.

    Achievements come first, then standing counts, each indicator once (its largest value).
    Example: ``2020年，齐村镇报告中共有39项量化指标，其中工作成效32项、……。主要数字：……。``
    """
    rows = _valued(facts)
    if len(rows) == 0:
        return f"{year}年，{unit}报告中未提取到量化指标。"
    kinds = _kinds(rows)
    counts = kinds.value_counts()
    text = f"{year}年，{unit}报告中共有{len(rows)}项量化指标"
    parts = [f"{KIND_NAMES[k]}{int(counts[k])}项" for k in KIND_NAMES if k in counts.index]
    if len(parts) > 1:
        text += "，其中" + "、".join(parts)
    text += "。"

    picks: list[str] = []
    seen: set[str] = set()
    for kind in ("achievement", "status"):
        group = rows[kinds == kind]
        if "measure" in group.columns:
            group = group[group["measure"] != "%"]  # shares are not "large figures"
        for row in group.sort_values("value", ascending=False, kind="stable").to_dict("records"):
            if len(picks) >= top:
                break
            if not is_missing(row.get("review")):
                continue  # awaiting an analyst's check (待核): not a headline figure
            key = row.get("indicator")
            key = fact_label(row) if is_missing(key) else str(key)
            if key not in seen:
                seen.add(key)
                picks.append(_item(row))
    if picks:
        text += "主要数字：" + "、".join(picks) + "。"
    return text


def dimension_paragraphs(facts: pd.DataFrame) -> dict[str, str]:
    """A paragraph per dimension (keys are dimension codes, in the schema's order).

    Each paragraph names its dimension and lists its figures in table order, grouped as
    work done, standing counts, compositions (``执法中队构成：本科4人、……``) and next-year
    targets, with measures and qualifiers kept. Facts without a dimension go under the key
    ``"unclassified"``.
    """
    rows = _valued(facts)
    if len(rows) == 0:
        return {}
    dims = rows["dimension"] if "dimension" in rows.columns else None
    known = [] if dims is None else [d for d in DIMENSIONS if (dims == d).any()]
    out: dict[str, str] = {}
    for code in [*known, "unclassified"]:
        if code == "unclassified":
            group = rows if dims is None else rows[~dims.isin(known)]
            name = _UNCLASSIFIED
        else:
            group = rows[dims == code]
            name = DIMENSIONS[code]
        if len(group) == 0:
            continue
        out[code] = f"{name}方面，" + _paragraph(group)
    return out


def _paragraph(group: pd.DataFrame) -> str:
    kinds = _kinds(group)
    rows = [(kind, row) for kind, row in zip(kinds, group.to_dict("records"), strict=True)]
    clauses: list[str] = []
    done = [r for k, r in rows if k not in ("status", "composition", "target")]
    if done:
        clauses.append("、".join(map(_item, done)))
    status = [r for k, r in rows if k == "status"]
    if status:
        clauses.append(f"{KIND_NAMES['status']}：" + "、".join(map(_item, status)))
    wholes: dict[str, list[dict]] = {}
    for kind, row in rows:
        if kind == "composition":
            whole = row.get("of")
            wholes.setdefault("" if is_missing(whole) else str(whole), []).append(row)
    for whole, parts in wholes.items():
        clauses.append(f"{whole}构成：" + "、".join(map(_item, parts)))
    target = [r for k, r in rows if k == "target"]
    if target:
        clauses.append(f"{KIND_NAMES['target']}：" + "、".join(map(_item, target)))
    return "；".join(clauses) + "。"


def change_sentence(
    label: str,
    previous: float | None,
    current: float | None,
    measure: str | None,
    prev_qualifier: str | None = "exact",
    cur_qualifier: str | None = "exact",
    prev_wording: Any = None,
    cur_wording: Any = None,
) -> str:
    """One sentence on how a figure changed from last year to this year.

    ``检查企业344家次，上年为276家次，增长25%。`` Percentages have one decimal under 10% and
    none above; a base of zero gets no percentage (``上年为0``); a missing side says
    ``上年无可比数据``; approximate or bounded values make the change ``约…``; a percentage
    measure changes in 个百分点.
    """
    pq, cq = check_qualifier(prev_qualifier), check_qualifier(cur_qualifier)
    m = measure_text(measure)
    if is_missing(previous) and is_missing(current):
        return f"{label}本年和上年均无可比数据。"
    if is_missing(previous):
        return f"{label}{_is(cq)}{format_value(current, m, cq, cur_wording)}，上年无可比数据。"  # type: ignore[arg-type]
    if is_missing(current):
        return (
            f"{label}本年无可比数据，上年{_is(pq)}{format_value(previous, m, pq, prev_wording)}。"  # type: ignore[arg-type]
        )
    prev, cur = float(previous), float(current)  # type: ignore[arg-type]
    approx = "约" if (pq != "exact" or cq != "exact") else ""
    now = f"{label}{_is(cq)}{format_value(cur, m, cq, cur_wording)}"
    before = f"上年{_is(pq)}{format_value(prev, m, pq, prev_wording)}"
    if cur == prev == 0:
        return f"{label}本年和上年均为{format_value(0, m)}。"
    if cur == prev:
        return f"{now}，与上年{'大致' if approx else ''}持平。"
    if m == "%":
        verb = "提高" if cur > prev else "下降"
        return f"{now}，{before}，{verb}{approx}{format_number(abs(cur - prev), 1)}个百分点。"
    if prev == 0:
        return f"{now}，上年为0，不计算增幅。"
    pct = (cur - prev) / abs(prev) * 100
    verb = "增长" if cur > prev else "下降"
    return f"{now}，{before}，{verb}{approx}{format_percent(pct)}。"


def _is(qualifier: str) -> str:
    """``为`` before an exact value (检查企业为344家次), nothing before 约/不少于/不超过."""
    return "为" if qualifier == "exact" else ""


def target_sentence(
    label: str,
    target: float | None,
    qualifier: str | None,
    result: float | None,
    status: str,
    measure: str | None,
    wording: Any = None,
) -> str:
    """One sentence comparing a target with its result: 已完成, 未完成 or 无可比数据.

    ``法制教育：目标不少于8次，实际10次，已完成。``
    """
    if status not in TARGET_STATUSES:
        raise LawnbError(
            f"未知的完成情况 status={status!r}：应为 {'、'.join(TARGET_STATUSES)} 之一，请更正目标对照表。"
        )
    q = check_qualifier(qualifier)
    m = measure_text(measure)
    goal = "未设定量化目标" if is_missing(target) else f"目标{format_value(target, m, q, wording)}"  # type: ignore[arg-type]
    if is_missing(result):
        return f"{label}：{goal}，暂无实际完成数据，无可比数据。"
    done = f"实际{format_value(result, m, 'exact')}"  # type: ignore[arg-type]
    return f"{label}：{goal}，{done}，{status}。"
