"""The district across units: what each unit's report of one year covers, side by side.

Takes a ``Dataset`` and a year (optionally a district and the indicators wanted); gives tables
indexed by unit: facts and sections per dimension, the mandated parts present, the key
indicators, and a Chinese note saying the counts are not a ranking.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from lawnb.analyse.cells import as_code, as_number
from lawnb.analyse.matching import keyed_facts, result_facts
from lawnb.schema import DIMENSIONS, PARTS
from lawnb.store.dataset import Dataset

KEY_INDICATOR_FIELDS: tuple[str, ...] = ("value", "qualifier", "measure")
DISTRICT_NOTE = (
    "说明：各单位的数字取决于单位规模、辖区人口和报告写法，表中计数只反映报告中写了多少项数据，"
    "不代表工作成效高低，不是排名。计数含由总数推算的数据项，与各单位报告页的计数一致。"
)


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
    """Units × (indicator, field): each unit's first result of each catalogued indicator."""
    from lawnb.extract.catalog import indicators as catalogue

    results = result_facts(facts) if not facts.empty else keyed_facts(facts)
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
        table.loc[r["unit"], (r["key"], "value")] = as_number(r["value"])
        table.loc[r["unit"], (r["key"], "qualifier")] = as_code(r["qualifier"])
        table.loc[r["unit"], (r["key"], "measure")] = r["measure"] or None
    for i in ids:
        table[(i, "value")] = pd.to_numeric(table[(i, "value")], errors="coerce").astype("float64")
    return table
