"""What the district overview notebook shows of one district-year: its units in groups,
the parts each report lacks, key indicators side by side and the structure findings.

Takes a loaded :class:`~lawnb.store.dataset.Dataset` and gives a :class:`DistrictView`
(the tables of ``lawnb.analyse.district_tables.district``, units grouped by level), Markdown and
readable Chinese tables; the charts come from ``lawnb.present.charts.district``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from lawnb.analyse.matching import key_label
from lawnb.formatting import format_value
from lawnb.present.display import text
from lawnb.present.parts import OPTIONAL_PARTS, PART_ORDER
from lawnb.present.sources import FICTIONAL_NOTE, is_fictional, source_line
from lawnb.present.views.findings import findings
from lawnb.schema import PARTS
from lawnb.store.dataset import Dataset


@dataclass
class DistrictView:
    """All units of one district-year, as the district overview notebook shows them."""

    district: str
    year: int
    units: list[str]
    tables: dict
    demo: bool = False
    groups: dict[str, list[str]] = field(default_factory=dict)  # UNIT_GROUPS label -> units

    @property
    def source(self) -> str:
        """The source line under every chart."""
        return source_line(f"{self.district}各单位", self.year, demo=self.demo)


def district_view(dataset: Dataset, year: int, district: str = "") -> DistrictView:
    """The units of a district (or of the whole dataset) that reported for ``year``."""
    from lawnb.analyse.district_tables import district as district_tables

    reports = dataset.reports[dataset.reports["year"] == int(year)]
    if district:
        reports = reports[reports["district"] == district]
    name = district or "、".join(sorted(reports["district"].dropna().unique())) or "全部单位"
    tables = district_tables(dataset, int(year), district=district or None)
    level_of = dict(zip(reports["unit"], reports["level"], strict=True))
    groups: dict[str, list[str]] = {}
    for unit in sorted(level_of):
        groups.setdefault(_group_of(level_of[unit]), []).append(unit)
    units = [u for label in UNIT_GROUPS for u in groups.get(label, [])]
    for key in ("coverage", "sections", "parts", "key_indicators"):
        tables[key] = tables[key].reindex([u for u in units if u in tables[key].index])
    view = DistrictView(name, int(year), units, tables, demo=is_fictional(dataset))
    view.groups = {label: groups[label] for label in UNIT_GROUPS if label in groups}
    return view


# Units shown apart on an overview: the grassroots units first, then governments and departments.
UNIT_GROUPS = ("乡镇（街道）", "区县政府和部门", "其他")


def _group_of(level: object) -> str:
    if level in ("town", "township", "subdistrict"):
        return UNIT_GROUPS[0]
    if level in ("county", "city", "province", "department"):
        return UNIT_GROUPS[1]
    return UNIT_GROUPS[2]


def district_heading_md(view: DistrictView) -> str:
    """The overview's heading and the units it covers."""
    lines = [
        f"# {text(view.district)}{view.year}年度法治政府建设情况汇总",
        "",
        f"**年度**：{view.year}　**单位**：{len(view.units)}个",
    ]
    for label, units in view.groups.items():
        lines += ["", f"- {label}：{text('、'.join(units))}"]
    if len(view.groups) > 1:
        lines += ["", "> 区县政府和部门的报告与乡镇（街道）的报告分开列出，不作同类比较。"]
    if view.demo:
        lines += ["", f"> {FICTIONAL_NOTE}"]
    return "\n".join(lines)


def parts_missing_md(view: DistrictView) -> str:
    """Which units lack which mandated parts, in one sentence per unit."""
    parts = view.tables["parts"]
    lines = []
    for unit, row in parts.iterrows():
        missing = [
            PARTS[p]
            for p in PART_ORDER
            if p not in OPTIONAL_PARTS and p in row.index and row[p] is not True
        ]
        if missing:
            lines.append(f"- {text(unit)}：缺少{'、'.join(missing)}")
    return (
        "\n".join(lines) if lines else "各单位报告均包含法定的四个主要部分（“其他事项”可不单列）。"
    )


def key_indicators_table(view: DistrictView) -> pd.DataFrame | str:
    """Key indicators side by side: a catalogued indicator per row, a unit per column.

    Only like measures are compared: each indicator keeps the measure most units used (a unit
    that counted in another measure shows it in brackets, not as a peer value), and says how
    many units reported it. A sentence when no indicator is reported by two units or more.
    """
    table = view.tables["key_indicators"]
    if table.empty or len(view.units) < 2:
        return "参与比较的单位不足两个，或没有两个以上单位都报告了的指标，本节不作并列比较。"
    rows = {}
    for indicator in dict.fromkeys(table.columns.get_level_values("indicator")):
        cells = table[indicator]
        measures = cells["measure"].dropna().astype(str)
        if measures.empty:
            continue
        common = measures.value_counts().index[0]
        same = int((measures == common).sum())
        if same < 2:
            continue
        row = {}
        for unit, value, measure, qualifier in zip(
            cells.index, cells["value"], cells["measure"], cells["qualifier"], strict=True
        ):
            if pd.isna(value):
                row[unit] = "—"
            elif str(measure) == common:
                row[unit] = format_value(value, measure, qualifier or "exact")
            else:
                row[unit] = f"（{format_value(value, measure, qualifier or 'exact')}，单位不同）"
        row["报告单位数"] = f"{same}个"
        rows[key_label(indicator, "indicator")] = row
    if not rows:
        return "没有两个以上单位以相同计量单位报告的指标，本节不作并列比较。"
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "指标"
    return out


def district_note_md(view: DistrictView) -> str:
    """The caveat that counts depend on a unit's size and are not a ranking."""
    return f"> {text(view.tables['note'])}"


def district_findings(dataset: Dataset, view: DistrictView) -> pd.DataFrame:
    """Counts of findings per unit and severity, with the problems spelled out."""
    rows = []
    for unit in view.units:
        found = findings(dataset, unit, view.year)
        counts = found["severity"].value_counts()
        rows.append(
            {
                "单位": unit,
                "问题": int(counts.get("error", 0)),
                "提示": int(counts.get("warning", 0)),
                "主要问题": "；".join(found[found["severity"] == "error"]["message"]) or "—",
            }
        )
    return pd.DataFrame(rows).set_index("单位")
