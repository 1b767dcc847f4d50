"""Tables and text prepared for the notebooks: what to show, chosen from the dataset.

Notebooks call these and hold no logic of their own; nothing here draws or reads files.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import pandas as pd

from lawnb.dataset import Dataset
from lawnb.narrative import format_value
from lawnb.schema import DIMENSIONS, PARTS

KIND_LABELS = {"achievement": "成效", "target": "目标", "status": "现状", "composition": "构成"}
ORIGIN_LABELS = {"extracted": "报告摘录", "derived": "推算", "manual": "人工修订"}
PART_ORDER = ("measures", "first_responsible", "shortcomings", "next_steps", "other")


@dataclass
class AnnualView:
    """One unit-year of a dataset, as the annual report notebook shows it."""

    unit: str
    year: int
    district: str
    title: str
    facts: pd.DataFrame
    sections: pd.DataFrame
    demo: bool = False

    @property
    def source(self) -> str:
        """The source line under every chart."""
        line = f"数据来源：{self.unit}{self.year}年度法治政府建设情况报告"
        return line + "（虚构示例数据）" if self.demo else line


def annual_view(dataset: Dataset, unit: str, year: int) -> AnnualView:
    """The facts and sections of one unit-year with its metadata."""
    row = dataset.report_row(unit, year)
    return AnnualView(
        unit=unit,
        year=int(year),
        district=str(row["district"] or ""),
        title=str(row["title"] or f"{unit}{year}年度法治政府建设情况报告"),
        facts=dataset.facts_for(unit, year),
        sections=dataset.sections_for(unit, year),
        demo=str(row["district"]) == "示例区",
    )


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]#|!~])")


def text(value: object) -> str:
    """A data value made safe to place in Markdown or HTML (never interpreted as markup)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(str(value), quote=True))


def figures_table(facts: pd.DataFrame) -> pd.DataFrame:
    """The facts as a readable Chinese table: section, dimension, subject, value, kind, origin."""
    if facts.empty:
        return pd.DataFrame(columns=["章节", "维度", "事项", "数值", "类型", "来源"])
    table = pd.DataFrame(
        {
            "章节": facts["section"].fillna("（导语）"),
            "维度": facts["dimension"].map(DIMENSIONS).astype("string").fillna("—"),
            "事项": facts["subject"],
            "数值": [
                format_value(v, m, q)
                for v, m, q in zip(
                    facts["value"], facts["measure"], facts["qualifier"], strict=True
                )
            ],
            "类型": facts["kind"].map(KIND_LABELS).astype("string"),
            "来源": facts["origin"].map(ORIGIN_LABELS).astype("string"),
        }
    )
    table.index = range(1, len(table) + 1)
    return table


def part_outline(view: AnnualView) -> dict[str, pd.DataFrame]:
    """For each mandated part present, its sections (number, title) and facts, in report order."""
    outline: dict[str, pd.DataFrame] = {}
    for part in PART_ORDER:
        sections = view.sections[view.sections["part"] == part]
        if not sections.empty:
            outline[part] = sections
    return outline


def parts_missing(view: AnnualView) -> list[str]:
    """The Chinese names of the mandated parts (but 其他) that the report lacks."""
    present = set(view.sections["part"].dropna())
    return [PARTS[p] for p in PART_ORDER if p != "other" and p not in present]


def chart_groups(
    facts: pd.DataFrame, *, groups: int = 4, limit: int = 8
) -> list[tuple[str, pd.DataFrame]]:
    """The largest groups of achievement figures that share a dimension and a measure.

    One measure per chart keeps bars comparable; groups of a single figure are left to the
    figures table.
    """
    achieved = facts[(facts["kind"] == "achievement") & facts["dimension"].notna()]
    found = []
    for (dimension, measure), rows in achieved.groupby(
        ["dimension", "measure"], observed=True, sort=False
    ):
        if len(rows) >= 2:
            found.append((f"{DIMENSIONS[str(dimension)]}（{measure}）", rows.head(limit)))
    found.sort(key=lambda group: -len(group[1]))
    return found[:groups]


def compositions(facts: pd.DataFrame) -> list[str]:
    """The wholes (``of``) that the facts break down into parts."""
    parts = facts[facts["kind"] == "composition"]
    return list(dict.fromkeys(parts["of"].dropna()))


def targets(facts: pd.DataFrame) -> pd.DataFrame:
    """The year's measurable targets (next year's promises) as a readable table."""
    rows = facts[facts["kind"] == "target"]
    return figures_table(rows)[["章节", "事项", "数值"]] if not rows.empty else figures_table(rows)


def heading_md(view: AnnualView) -> str:
    """The page heading: title, unit, district and year, with the demo label when fictional."""
    lines = [f"# {text(view.unit)}{view.year}年度法治政府建设情况分析", ""]
    lines.append(
        f"**单位**：{text(view.district)} {text(view.unit)}　**年度**：{view.year}　"
        f"**原报告**：《{text(view.title)}》"
    )
    if view.demo:
        lines += ["", "> 本页数据为虚构示例数据，仅用于演示。"]
    return "\n".join(lines)


def parts_md(view: AnnualView) -> str:
    """One Markdown section per mandated part: its headings and the figures reported under it."""
    chapters = {p: i for i, p in enumerate(PART_ORDER)}
    outline = part_outline(view)
    blocks = []
    for number, part in enumerate(sorted(outline, key=chapters.get), start=1):
        sections = outline[part]
        blocks += [f"### {number}. {PARTS[part]}", ""]
        for _, section in sections.iterrows():
            indent = "  " * (int(section["level"]) - 1)
            facts = view.facts[view.facts["section"] == section["path"]]
            figures = "；".join(
                f"{text(f.subject)} {format_value(f.value, f.measure, f.qualifier)}"
                for f in facts.itertuples()
            )
            title = str(section["title"]).rstrip("。：:")
            line = f"{indent}- {text(section['number'])}{text(title)}"
            blocks.append(line + (f"：{figures}" if figures else ""))
        blocks.append("")
    missing = parts_missing(view)
    if missing:
        blocks.append(f"> 报告缺少法定内容：{'、'.join(missing)}。")
    return "\n".join(blocks)


def dimension_md(facts: pd.DataFrame) -> str:
    """A paragraph per dimension listing its figures (from ``lawnb.narrative``)."""
    from lawnb.narrative import dimension_paragraphs

    paragraphs = dimension_paragraphs(facts)
    if not paragraphs:
        return "报告中没有可归入各维度的量化数据。"
    return "\n\n".join(text(body) for body in paragraphs.values())


def headline_md(view: AnnualView) -> str:
    """The year's headline figures as a Markdown paragraph (from ``lawnb.narrative``)."""
    from lawnb.narrative import headline

    return text(headline(view.facts, unit=view.unit, year=view.year))
