"""Comparisons over a dataset: year on year, trends, last year's targets, the district view.

Pure functions: a ``Dataset`` in, pandas DataFrames out, with English column names and
Chinese values wherever a user reads them. Nothing here reads files or draws.

How two facts of two reports are recognised as the same indicator (``year_on_year``,
``targets``, ``trends``):

1. **By catalogue id first.** Facts with the same ``indicator`` id (lawnb/rules/catalog.yaml)
   and the same measure match, however differently the two reports word them
   (检查企业 / 检查经营主体 are both ``functions.enterprise_inspections``). ``how`` = indicator.
2. **Then by normalised subject**, for what step 1 left: equal ``normalize_subject`` (quotes
   and blanks removed, a leading ordinal 一是/二是 dropped, leading verbs and adverbs that do
   not change what is counted, 开展, 组织, 全年, 共 …, stripped, trailing 控制在/达到/以上 …
   cut) and the same measure. This pairs facts without an id, or a fact with an id against one
   read before the catalogue knew it; two facts with *different* ids never match. Words that
   *do* change what is counted (新增, 新建, 累计, 培育) are kept: 新增法律明白人 is not
   法律明白人. ``how`` = subject.
3. Values in different measures (人 vs 人次, 场 vs 场次) are never compared.

A matched pair is keyed by its catalogue id when either fact has one, else by the normalised
subject (``indicator_key`` gives each fact's own key). Only achievement and status facts count
as results: targets, composition parts (rows with ``of``) and derived rows are left out. When a
key occurs several times in one report the first occurrence (reading order) is kept, and a
``note`` says so. An indicator reported last year and not this year reads 本年报告未提及
(``NOT_MENTIONED``): a report that does not mention a figure says nothing about the work.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import pandas as pd

from lawnb.schema import DIMENSIONS, PARTS, TARGET_STATUSES
from lawnb.store.dataset import Dataset

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

NOT_MENTIONED = "本年报告未提及"  # reported last year, not this year (formerly 消失)
CHANGE_STATUSES: tuple[str, ...] = ("增长", "下降", "持平", "新增", NOT_MENTIONED)
BOTH_YEARS_STATUSES: tuple[str, ...] = ("增长", "下降", "持平")

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
TREND_COLUMNS: tuple[str, ...] = ("year", "key", "label", "value", "measure", "qualifier")
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
MATCH_SHARE_COLUMNS: tuple[str, ...] = (
    "unit",
    "previous_year",
    "year",
    "both",
    "by_indicator",
    "by_subject",
    "share",
)
KEY_INDICATOR_FIELDS: tuple[str, ...] = ("value", "qualifier", "measure")
DISTRICT_NOTE = (
    "说明：各单位的数字取决于单位规模、辖区人口和报告写法，表中计数只反映报告中写了多少项数据，"
    "不代表工作成效高低，不是排名。计数含由总数推算的数据项，与各单位报告页的计数一致。"
)

_RESULT_KINDS = ("achievement", "status")

# --- subject normalisation -----------------------------------------------------------------

_BLANKS_AND_QUOTES = re.compile(r"[\s“”‘’\"'「」『』《》〈〉]")
_ORDINAL = re.compile(r"^(?:[一二三四五六七八九十]+是|第[一二三四五六七八九十]+[，、,]?)")
# Longest first; single characters last. Words that change what is counted are not here.
_LEADING = (
    "全年共",
    "全年",
    "年内",
    "共计",
    "共有",
    "开展",
    "组织",
    "举办",
    "召开",
    "完成",
    "办理",
    "受理",
    "发生",
    "下达",
    "推动",
    "力争",
    "争取",
    "计划",
    "确保",
    "共",
)
_NOT_AFTER_GONG = "建同享治商识"  # 共建, 共同, 共享 … are words, not 共 + object
_TRAILING = ("控制在", "保持在", "达到", "不少于", "不超过", "以上", "以内", "左右")
_MIN_LENGTH = 2


def normalize_subject(subject: object) -> str:
    """A subject reduced to what it counts: ``二是推动12345热线工单满意率`` → ``12345热线工单满意率``.

    Removes blanks and quotes, a leading ordinal (一是, 第二), leading verbs and adverbs such as
    开展, 组织, 全年, 共, 力争, 推动, and trailing 控制在, 达到, 以上, 左右. Never shortens a
    subject below two characters. Missing subjects give ``""``.
    """
    if subject is None or (not isinstance(subject, str) and pd.isna(subject)):  # type: ignore[arg-type]
        return ""
    text = _BLANKS_AND_QUOTES.sub("", str(subject))
    changed = True
    while changed:
        changed = False
        stripped = _ORDINAL.sub("", text)
        if stripped != text and len(stripped) >= _MIN_LENGTH:
            text, changed = stripped, True
        for word in _LEADING:
            rest = text[len(word) :]
            if (
                text.startswith(word)
                and len(rest) >= _MIN_LENGTH
                and not (word == "共" and rest[0] in _NOT_AFTER_GONG)
            ):
                text, changed = rest, True
                break
        for word in _TRAILING:
            rest = text[: -len(word)]
            if text.endswith(word) and len(rest) >= _MIN_LENGTH:
                text, changed = rest, True
                break
    return text


def indicator_key(facts: pd.DataFrame) -> pd.Series:
    """The matching key of each fact: its catalogue id, else its normalised subject.

    The one place where facts of different reports are recognised as the same indicator;
    pair keys with the ``measure`` column (facts match on both). Facts with neither an id nor a
    subject get ``<NA>`` and match nothing.
    """
    ids = facts["indicator"].astype(object)
    subjects = facts["subject"].astype(object).map(normalize_subject)
    keys = [str(i) if not pd.isna(i) else (s or None) for i, s in zip(ids, subjects, strict=True)]
    return pd.Series(keys, index=facts.index, dtype=object, name="key")


def _label(key: str, how: str) -> str:
    """What a user reads for a key: the catalogue name of an id, else the normalised subject."""
    if how != "indicator":
        return key
    from lawnb.extract.catalog import get_indicator  # the catalogue (YAML) is read only when needed

    found = get_indicator(key)
    return found.name if found else key


def _keyed(facts: pd.DataFrame) -> pd.DataFrame:
    """Facts with ``key``, ``how`` (indicator|subject), ``id``, ``norm`` and ``label``.

    ``id`` is the catalogue id or None, ``norm`` the normalised subject (``""`` when none);
    rows with neither (no key) are dropped.
    """
    out = facts.copy()
    out["key"] = indicator_key(facts)
    out["how"] = ["indicator" if not pd.isna(i) else "subject" for i in facts["indicator"]]
    out["id"] = [None if pd.isna(i) else str(i) for i in facts["indicator"].astype(object)]
    out["norm"] = facts["subject"].astype(object).map(normalize_subject)
    out = out[out["key"].notna()]
    out["label"] = [_label(k, h) for k, h in zip(out["key"], out["how"], strict=True)]
    out["measure"] = out["measure"].astype(object).where(out["measure"].notna(), "")
    return out.reset_index(drop=True)


def _results(facts: pd.DataFrame) -> pd.DataFrame:
    """Achievements and status figures with a value: no targets, parts or derived rows."""
    mask = (
        facts["kind"].isin(_RESULT_KINDS)
        & facts["of"].isna()
        & (facts["origin"].astype(object) != "derived")
        & facts["value"].notna()
    )
    return _keyed(facts[mask])


def _first(facts: pd.DataFrame) -> pd.DataFrame:
    """The first row of each (key, measure) in reading order, with ``n`` = how many there were."""
    by = ["key", "measure"]
    if facts.empty:
        return facts.assign(n=pd.Series(dtype="int64"))
    counts = facts.groupby(by, sort=False, dropna=False)["key"].transform("size")
    return facts.assign(n=counts).drop_duplicates(by, keep="first").reset_index(drop=True)


def _unit_results(dataset: Dataset, unit: str, year: int) -> pd.DataFrame:
    """The first result per key of one unit-year (empty when the report does not exist)."""
    if int(year) not in dataset.years(unit):
        return _first(_results(dataset.facts.iloc[0:0]))
    return _first(_results(dataset.facts_for(unit, year)))


class _Pairing:
    """Finds, for a fact of one report, its counterpart among another report's results.

    By catalogue id and measure first, then by normalised subject and measure; two facts with
    different ids never pair. Results in ``used`` are taken (year on year pairs one to one;
    several targets may be checked against one result).
    """

    def __init__(self, results: pd.DataFrame) -> None:
        self.rows = results.to_dict("records")
        self.used: set[int] = set()
        self._by_id: dict[tuple[str, str], list[int]] = {}
        self._by_norm: dict[tuple[str, str], list[int]] = {}
        for n, r in enumerate(self.rows):
            if r["id"] is not None:
                self._by_id.setdefault((r["id"], r["measure"]), []).append(n)
            if r["norm"]:
                self._by_norm.setdefault((r["norm"], r["measure"]), []).append(n)

    def by_indicator(self, fact: dict) -> int | None:
        """The first unused result with the fact's catalogue id and measure."""
        if fact["id"] is None:
            return None
        found = self._by_id.get((fact["id"], fact["measure"]), [])
        return next((n for n in found if n not in self.used), None)

    def by_subject(self, fact: dict) -> int | None:
        """The first unused result with the fact's normalised subject and measure."""
        if not fact["norm"]:
            return None
        found = self._by_norm.get((fact["norm"], fact["measure"]), [])
        return next(
            (
                n
                for n in found
                if n not in self.used
                and (fact["id"] is None or self.rows[n]["id"] in (None, fact["id"]))
            ),
            None,
        )

    def find(self, fact: dict) -> tuple[dict | None, str]:
        """The counterpart of ``fact`` and how it was found (indicator | subject | none)."""
        n = self.by_indicator(fact)
        if n is not None:
            return self.rows[n], "indicator"
        n = self.by_subject(fact)
        if n is not None:
            return self.rows[n], "subject"
        return None, "none"


def _pair_key(a: dict, b: dict | None) -> tuple[str, str]:
    """Key and label of a pair: a catalogue id when either fact has one, else a's key."""
    for fact in (a, b):
        if fact is not None and fact["id"] is not None:
            return fact["id"], _label(fact["id"], "indicator")
    return a["key"], a["label"]


def _year_pairs(
    cur: pd.DataFrame, prev: pd.DataFrame
) -> list[tuple[dict | None, dict | None, str]]:
    """(current, previous, how) for every result of two reports, one to one.

    This year's results come in reading order, then last year's that found no counterpart.
    All id matches are made before any subject match, so a subject match never takes a fact
    that an id match needs.
    """
    current = cur.to_dict("records")
    pairing = _Pairing(prev)
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


def _check_unit(dataset: Dataset, unit: str) -> None:
    if unit not in dataset.units():
        dataset.report_row(unit, 0)  # raises DatasetError naming the units that exist


def _text(value: object) -> str:
    return "" if value is None or pd.isna(value) else str(value)  # type: ignore[arg-type]


def _number(value: object) -> float:
    return float("nan") if value is None or pd.isna(value) else float(value)  # type: ignore[arg-type]


def _qualifier(value: object) -> str | None:
    return None if value is None or pd.isna(value) else str(value)  # type: ignore[arg-type]


def _wording(row: dict | None) -> str | None:
    """The qualifier as the report wrote it (余, 以上 …), or None."""
    if row is None:
        return None
    value = row.get("wording")
    return None if value is None or pd.isna(value) or not str(value) else str(value)


def _inexact(*qualifiers: str | None) -> bool:
    """True when any present value is approximate or a bound (约, 余, 以上, 以内)."""
    return any(q is not None and q != "exact" for q in qualifiers)


_FLOAT_COLUMNS = {"previous", "current", "change", "change_pct", "value", "target", "result"}
_BOOL_COLUMNS = {"approx", "next_year_report"}


def _frame(rows: Iterable[dict], columns: Sequence[str]) -> pd.DataFrame:
    """Rows as a frame with stable dtypes, also when empty: floats, bools, int year, else str."""
    frame = pd.DataFrame(list(rows), columns=list(columns))
    return frame.astype({c: _dtype(c) for c in columns})


def _dtype(column: str) -> str:
    if column in _FLOAT_COLUMNS:
        return "float64"
    if column in _BOOL_COLUMNS:
        return "bool"
    return "int64" if column == "year" else "str"


# --- year on year --------------------------------------------------------------------------


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
    (see the module's docstring). Rows follow this year's reading order, then last year's
    indicators this year's report does not mention. Without a ``year - 1`` report the frame is
    empty with these columns, and ``attrs["previous_report"]`` is False. A missing ``year``
    report raises ``DatasetError``.
    """
    year = int(year)
    dataset.report_row(unit, year)
    has_previous = year - 1 in dataset.years(unit)
    if not has_previous:
        out = _frame([], YOY_COLUMNS)
        out.attrs.update(previous_report=False, unit=unit, year=year)
        return out
    cur = _unit_results(dataset, unit, year)
    prev = _unit_results(dataset, unit, year - 1)
    rows = [_change_row(c, p, how) for c, p, how in _year_pairs(cur, prev)]
    out = _frame(rows, YOY_COLUMNS)
    out.attrs.update(previous_report=True, unit=unit, year=year)
    return out


def _change_row(cur: dict | None, prev: dict | None, how: str) -> dict:
    previous = _number(prev["value"]) if prev is not None else float("nan")
    current = _number(cur["value"]) if cur is not None else float("nan")
    pq = _qualifier(prev["qualifier"]) if prev is not None else None
    cq = _qualifier(cur["qualifier"]) if cur is not None else None
    if prev is None:
        status, change = "新增", float("nan")
    elif cur is None:
        status, change = NOT_MENTIONED, float("nan")
    else:
        change = round(current - previous, 10)
        status = "增长" if change > 0 else "下降" if change < 0 else "持平"
    pct = change / previous * 100 if prev is not None and previous != 0 else float("nan")
    notes = [
        f"{when}报告中出现{int(row['n'])}次，取第一处"
        for when, row in (("上年", prev), ("本年", cur))
        if row is not None and int(row["n"]) > 1
    ]
    one = cur if cur is not None else prev
    assert one is not None
    key, label = _pair_key(one, prev if cur is not None else None)
    dimension = next(
        (r["dimension"] for r in (cur, prev) if r is not None and not pd.isna(r["dimension"])),
        None,
    )
    return {
        "key": key,
        "label": label,
        "measure": one["measure"],
        "dimension": _qualifier(dimension),
        "previous": previous,
        "previous_qualifier": pq,
        "current": current,
        "current_qualifier": cq,
        "previous_wording": _wording(prev),
        "current_wording": _wording(cur),
        "change": change,
        "change_pct": pct,
        "status": status,
        "approx": _inexact(pq, cq),
        "how": how if how != "none" else one["how"],
        "note": "；".join(notes),
    }


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


# --- trends --------------------------------------------------------------------------------


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
    _check_unit(dataset, unit)
    years = sorted({int(y) for y in (years if years is not None else dataset.years(unit))})
    frames = [_unit_results(dataset, unit, y).assign(year=y) for y in years]
    frames = [f for f in frames if not f.empty]
    found = pd.concat(frames, ignore_index=True) if frames else _unit_results(dataset, unit, 0)
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
                hits = [(key, None, _label(key, how))]
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
                    "value": _number(r["value"]) if r is not None else float("nan"),
                    "measure": measure or None,
                    "qualifier": _qualifier(r["qualifier"]) if r is not None else None,
                }
            )
    return _frame(rows, TREND_COLUMNS)


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
            out.iloc[n, out.columns.get_loc("label")] = _label(key, "indicator")
    return out


# --- targets -------------------------------------------------------------------------------


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
    无可比数据, the column ``next_year_report`` is False and so is
    ``attrs["next_year_report"]``: these are the promises to check next year.
    """
    year = int(year)
    facts = dataset.facts_for(unit, year)
    goals = _keyed(facts[facts["kind"] == "target"])
    has_next = year + 1 in dataset.years(unit)
    pairing = _Pairing(_unit_results(dataset, unit, year + 1))
    rows = []
    for g in goals.to_dict("records"):
        r, how = pairing.find(g)
        key, label = _pair_key(g, r)
        target = _number(g["value"])
        tq = _qualifier(g["qualifier"]) or "exact"
        result = _number(r["value"]) if r is not None else float("nan")
        if r is None or pd.isna(target):
            status = "无可比数据"
        elif tq == "at_most":
            status = "已完成" if result <= target else "未完成"
        else:
            status = "已完成" if result >= target else "未完成"
        rows.append(
            {
                "key": key,
                "label": label,
                "target": target,
                "target_qualifier": tq,
                "measure": g["measure"] or None,
                "result": result,
                "result_qualifier": _qualifier(r["qualifier"]) if r is not None else None,
                "target_wording": _wording(g),
                "result_wording": _wording(r),
                "status": status,
                "how": how,
                "evidence_target": _text(g["sentence"]),
                "evidence_result": _text(r["sentence"]) if r is not None else "",
                "next_year_report": has_next,
            }
        )
    out = _frame(rows, TARGET_COLUMNS)
    out.attrs.update(next_year_report=has_next, unit=unit, year=year)
    return out


# --- district ------------------------------------------------------------------------------


def district(
    dataset: Dataset,
    year: int,
    *,
    indicators: Sequence[str] | None = None,
    district: str | None = None,
) -> dict[str, pd.DataFrame | str]:
    """The units of a district (all of the dataset's when ``district`` is None) in one year,
    as tables indexed by unit (name order). A district's units are those that report under it
    in any year of the dataset; units of other districts never appear.

    - ``coverage``: units × the ten dimension codes, number of facts (every row of the
      unit-year: extracted, derived and analysts' rows, as the unit page counts them); 0 when
      the dimension has sections but no facts, NaN when it has neither, and a NaN row for a
      unit without a report that year.
    - ``sections``: units × dimension codes, number of sections.
    - ``parts``: units × the five part codes, True when the report has that mandated part.
    - ``key_indicators``: one row per unit, columns a MultiIndex (indicator, field) with field
      ``value`` (float), ``qualifier`` (exact|approx|at_least|at_most, so 约 and 以上 survive)
      and ``measure``; ``.xs("value", axis=1, level="field")`` gives a plain numeric table.
      Only achievement/status figures, first per unit; catalogue ids in catalogue order,
      by default those present for at least two units (or ``indicators``).
      ``attrs["labels"]`` maps each id to its Chinese name.
    - ``note``: a Chinese sentence saying the counts depend on unit size and are not a ranking
      (and naming units without a report that year).
    """
    year = int(year)
    scope = dataset.reports
    if district:
        scope = scope[scope["district"] == district]
    units = sorted(scope["unit"].dropna().unique())
    reports = scope[scope["year"] == year]
    unit_of = dict(zip(reports["report_id"], reports["unit"], strict=True))
    reported = [u for u in units if u in set(unit_of.values())]
    facts = dataset.facts[dataset.facts["report_id"].isin(unit_of)]
    facts = facts.assign(unit=facts["report_id"].map(unit_of))
    sections = dataset.sections[dataset.sections["report_id"].isin(unit_of)]
    sections = sections.assign(unit=sections["report_id"].map(unit_of))

    def grid(frame: pd.DataFrame, column: str, codes: Sequence[str]) -> pd.DataFrame:
        counts = (
            frame.assign(**{column: frame[column].astype(object)})
            .groupby(["unit", column])
            .size()
            .unstack(column)
        )
        table = counts.reindex(index=units, columns=list(codes)).astype("float64")
        table.loc[table.index.isin(reported)] = table.loc[table.index.isin(reported)].fillna(0)
        table.index.name, table.columns.name = "unit", column
        return table

    fact_counts = grid(facts, "dimension", list(DIMENSIONS))
    section_counts = grid(sections, "dimension", list(DIMENSIONS))
    coverage = fact_counts.where((fact_counts > 0) | (section_counts > 0))
    part_counts = grid(sections, "part", list(PARTS))
    parts = (part_counts > 0).astype("boolean").where(part_counts.notna())

    out: dict[str, pd.DataFrame | str] = {
        "coverage": coverage,
        "sections": section_counts,
        "parts": parts,
        "key_indicators": _key_indicators(facts, units, indicators),
    }
    missing = [u for u in units if u not in reported]
    note = DISTRICT_NOTE
    if missing:
        note += f"{'、'.join(missing)}没有{year}年的报告，相应行为空。"
    out["note"] = note
    return out


def _key_indicators(
    facts: pd.DataFrame, units: list[str], indicators: Sequence[str] | None
) -> pd.DataFrame:
    from lawnb.extract.catalog import indicators as catalogue

    results = _results(facts) if not facts.empty else _keyed(facts)
    results = results[results["how"] == "indicator"]
    results = results.assign(
        unit=results["report_id"].map(dict(zip(facts["report_id"], facts["unit"], strict=True)))
    )
    results = results.drop_duplicates(["unit", "key"], keep="first")
    order = [i.id for i in catalogue()]
    if indicators is None:
        per_id = results.groupby("key")["unit"].nunique()
        ids = [i for i in order if per_id.get(i, 0) >= 2]
    else:
        ids = list(dict.fromkeys(indicators))
    columns = pd.MultiIndex.from_product([ids, KEY_INDICATOR_FIELDS], names=["indicator", "field"])
    table = pd.DataFrame(index=pd.Index(units, name="unit"), columns=columns, dtype=object)
    for _, r in results[results["key"].isin(ids)].iterrows():
        table.loc[r["unit"], (r["key"], "value")] = _number(r["value"])
        table.loc[r["unit"], (r["key"], "qualifier")] = _qualifier(r["qualifier"])
        table.loc[r["unit"], (r["key"], "measure")] = r["measure"] or None
    for i in ids:
        table[(i, "value")] = pd.to_numeric(table[(i, "value")], errors="coerce").astype("float64")
    table.attrs["labels"] = {i: _label(i, "indicator") for i in ids}
    return table
