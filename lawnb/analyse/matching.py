"""How facts of two reports are recognised as the same indicator: keys, labels and pairing.

Takes facts tables (rows of ``Dataset.facts``) and gives each fact its matching key, the label a
user reads for it, and its counterpart among another report's results. Year on year, trends and
promises kept all match this way:

1. **By catalogue id first.** Facts with the same ``indicator`` id (lawnb/rules/catalog.yaml)
   and the same measure match, however differently the two reports word them
   (检查企业 / 检查经营主体 are both ``functions.enterprise_inspections``). ``how`` = indicator.
2. **Then by normalised subject**, for what step 1 left: equal ``normalize_subject`` (quotes
   and blanks removed, a leading ordinal 一是/二是 dropped, leading verbs and adverbs that do
   not change what is counted, 开展, 组织, 全年, 共 …, stripped, trailing 控制在/达到/以上 …
   cut; the word lists are in lawnb/rules/compare.yaml) and the same measure. This pairs facts
   without an id, or a fact with an id against one read before the catalogue knew it; two facts
   with *different* ids never match. Words that *do* change what is counted (新增, 新建, 累计,
   培育) are kept: 新增法律明白人 is not 法律明白人. ``how`` = subject.
3. Values in different measures (人 vs 人次, 场 vs 场次) are never compared.

A matched pair is keyed by its catalogue id when either fact has one, else by the normalised
subject (``indicator_key`` gives each fact's own key). Only achievement and status facts count
as results: targets, composition parts (rows with ``of``) and derived rows are left out. When a
key occurs several times in one report the first occurrence (reading order) is kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import pandas as pd

from lawnb.formatting import is_missing
from lawnb.ruledata import load_rules
from lawnb.store.dataset import Dataset

RESULT_KINDS: tuple[str, ...] = ("achievement", "status")


# --- subject normalisation -----------------------------------------------------------------


@dataclass(frozen=True)
class SubjectRules:
    """The word lists of lawnb/rules/compare.yaml, compiled."""

    blanks_and_quotes: re.Pattern[str]
    ordinal: re.Pattern[str]
    leading: tuple[str, ...]
    not_before: dict[str, str]
    trailing: tuple[str, ...]
    min_length: int


@cache
def subject_rules() -> SubjectRules:
    """The subject normalisation rules, read once from ``lawnb/rules/compare.yaml``."""
    data = load_rules("compare.yaml")
    quotes = "".join(re.escape(mark) for mark in str(data["quotes"]))
    return SubjectRules(
        blanks_and_quotes=re.compile(rf"[\s{quotes}]"),
        ordinal=re.compile(str(data["ordinal"])),
        leading=tuple(str(w) for w in data["leading"]),
        not_before={str(k): str(v) for k, v in (data.get("not_before") or {}).items()},
        trailing=tuple(str(w) for w in data["trailing"]),
        min_length=int(data["min_length"]),
    )


def normalize_subject(subject: object) -> str:
    """A subject reduced to what it counts: ``二是推动12345热线工单满意率`` → ``12345热线工单满意率``.

    Removes blanks and quotes, a leading ordinal (一是, 第二), leading verbs and adverbs such as
    开展, 组织, 全年, 共, 力争, 推动, and trailing 控制在, 达到, 以上, 左右. Never shortens a
    subject below two characters. Missing subjects give ``""``.
    """
    if is_missing(subject):
        return ""
    rules = subject_rules()
    text = rules.blanks_and_quotes.sub("", str(subject))
    changed = True
    while changed:
        changed = False
        stripped = rules.ordinal.sub("", text)
        if stripped != text and len(stripped) >= rules.min_length:
            text, changed = stripped, True
        for word in rules.leading:
            rest = text[len(word) :]
            if (
                text.startswith(word)
                and len(rest) >= rules.min_length
                and rest[0] not in rules.not_before.get(word, "")
            ):
                text, changed = rest, True
                break
        for word in rules.trailing:
            rest = text[: -len(word)]
            if text.endswith(word) and len(rest) >= rules.min_length:
                text, changed = rest, True
                break
    return text


# --- keys and labels -----------------------------------------------------------------------


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


def key_label(key: str, how: str) -> str:
    """What a user reads for a key: the catalogue name of an id, else the normalised subject."""
    if how != "indicator":
        return key
    from lawnb.extract.catalog import get_indicator  # the catalogue (YAML) is read only when needed

    found = get_indicator(key)
    return found.name if found else key


def keyed_facts(facts: pd.DataFrame) -> pd.DataFrame:
    """Facts with ``key``, ``how`` (indicator|subject), ``id``, ``norm`` and ``label``.

    ``id`` is the catalogue id or None, ``norm`` the normalised subject (``""`` when none);
    rows with neither (no key) are dropped.
    """
    out = facts.copy()
    out["key"] = indicator_key(facts)
    out["how"] = ["indicator" if not pd.isna(i) else "subject" for i in facts["indicator"]]
    # object dtype: a list of str and None would become a str column, None turned into NaN.
    ids = [None if pd.isna(i) else str(i) for i in facts["indicator"].astype(object)]
    out["id"] = pd.Series(ids, index=out.index, dtype=object)
    out["norm"] = facts["subject"].astype(object).map(normalize_subject)
    out = out[out["key"].notna()]
    out["label"] = [key_label(k, h) for k, h in zip(out["key"], out["how"], strict=True)]
    out["measure"] = out["measure"].astype(object).where(out["measure"].notna(), "")
    return out.reset_index(drop=True)


def result_facts(facts: pd.DataFrame) -> pd.DataFrame:
    """Achievements and status figures with a value, keyed: no targets, parts or derived rows."""
    mask = (
        facts["kind"].isin(RESULT_KINDS)
        & facts["of"].isna()
        & (facts["origin"].astype(object) != "derived")
        & facts["value"].notna()
    )
    return keyed_facts(facts[mask])


def first_per_key(facts: pd.DataFrame) -> pd.DataFrame:
    """The first row of each (key, measure) in reading order, with ``n`` = how many there were."""
    by = ["key", "measure"]
    if facts.empty:
        return facts.assign(n=pd.Series(dtype="int64"))
    counts = facts.groupby(by, sort=False, dropna=False)["key"].transform("size")
    return facts.assign(n=counts).drop_duplicates(by, keep="first").reset_index(drop=True)


def unit_results(dataset: Dataset, unit: str, year: int) -> pd.DataFrame:
    """The first result per key of one unit-year (empty when the report does not exist)."""
    if int(year) not in dataset.years(unit):
        return first_per_key(result_facts(dataset.facts.iloc[0:0]))
    return first_per_key(result_facts(dataset.facts_for(unit, year)))


def check_unit(dataset: Dataset, unit: str) -> None:
    """Raise ``DatasetError`` naming the units that exist when ``unit`` is not one of them."""
    if unit not in dataset.units():
        dataset.report_row(unit, 0)


# --- pairing -------------------------------------------------------------------------------


class Pairing:
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


def pair_key(a: dict, b: dict | None) -> tuple[str, str]:
    """Key and label of a pair: a catalogue id when either fact has one, else a's key."""
    for fact in (a, b):
        if fact is not None and fact["id"] is not None:
            return fact["id"], key_label(fact["id"], "indicator")
    return a["key"], a["label"]
