"""What the annual report notebook shows of one unit-year: heading, parts, figures, targets.

Takes a loaded :class:`~lawnb.store.dataset.Dataset` (or the :class:`AnnualView` of one
unit-year made from it) and gives Markdown text, readable Chinese tables and the groups of
figures to chart; the charts themselves come from ``lawnb.present.charts``. Nothing here
reads files.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from lawnb.formatting import format_value, format_values, is_missing
from lawnb.labels import KIND_LABELS, ORIGIN_LABELS
from lawnb.present.display import excerpt, text
from lawnb.present.parts import OPTIONAL_PARTS, PART_ORDER
from lawnb.present.sources import FICTIONAL_NOTE, is_fictional, source_line, usual_title
from lawnb.schema import DIMENSIONS, PARTS
from lawnb.store.dataset import Dataset

if TYPE_CHECKING:
    from matplotlib.figure import Figure


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
    metadata_note: str = ""  # says which of unit, district, year were guessed ("" if none)

    @property
    def source(self) -> str:
        """The source line under every chart."""
        return source_line(self.unit, self.year, demo=self.demo)


def annual_view(dataset: Dataset, unit: str, year: int) -> AnnualView:
    """The facts and sections of one unit-year with its metadata."""
    row = dataset.report_row(unit, year)
    return AnnualView(
        unit=unit,
        year=int(year),
        district="" if pd.isna(row["district"]) else str(row["district"]),
        title=usual_title(unit, year) if pd.isna(row["title"]) else str(row["title"]),
        facts=dataset.facts_for(unit, year),
        sections=dataset.sections_for(unit, year),
        demo=is_fictional(dataset),
        metadata_note=guessed_sentence(row),
    )


# Where a guess came from, as the page's sentence says it: “是从正文推测的”.
_GUESSED_FROM = {"metadata": "网页的发布信息", "opening": "正文", "file_name": "文件名"}


def guessed_sentence(row: pd.Series | dict) -> str:
    """“本报告的单位、年度是从正文推测的，尚未核对。” for a reports row with guessed fields.

    Empty when nothing is guessed, or for a dataset saved before lawnb recorded it.
    """
    from lawnb.store.report_metadata.provenance import (
        field_names,
        guessed_groups,
        parse_meta_source,
    )

    guessed = row.get("guessed")
    if guessed is None or pd.isna(guessed) or not str(guessed).strip():
        return ""
    sources = parse_meta_source(row.get("meta_source"))
    sources.update({n: sources.get(n, "none") for n in str(guessed).split()})
    by_source, missing = guessed_groups(sources, dict(row))
    clauses = [
        f"{field_names(names)}是从{_GUESSED_FROM[source]}推测的"
        if source in _GUESSED_FROM
        else f"{field_names(names)}是推测的"
        for source, names in by_source.items()
    ]
    if missing:
        clauses.append(f"{field_names(missing)}未能识别")
    return f"本报告的{'，'.join(clauses)}，尚未核对。" if clauses else ""


def figures_table(facts: pd.DataFrame) -> pd.DataFrame:
    """The facts as a readable Chinese table: section, dimension, subject, value, kind, origin.

    Values keep the report's qualifier word (800余名, 98%以上); the evidence (原文) is an
    excerpt centred on the figure, which is marked; figures awaiting a check say 待核.
    """
    if facts.empty:
        return pd.DataFrame(columns=["章节", "维度", "事项", "数值", "类型", "来源"])
    table = pd.DataFrame(
        {
            "章节": facts["section"].fillna("（导语）"),
            "维度": facts["dimension"].map(DIMENSIONS).astype("string").fillna("—"),
            "事项": facts["subject"],
            "数值": format_values(
                facts["value"], facts["measure"], facts["qualifier"], _wording(facts)
            ),
            "类型": facts["kind"].map(KIND_LABELS).astype("string"),
            "来源": facts["origin"].map(ORIGIN_LABELS).astype("string"),
        }
    )
    if "review" in facts.columns and facts["review"].notna().any():
        table["待核"] = facts["review"].map(_REVIEW_LABELS).fillna("").to_numpy()
    if facts["sentence"].notna().any():
        table["原文"] = [
            excerpt(sentence, value, measure)
            for sentence, value, measure in zip(
                facts["sentence"], facts["value"], facts["measure"], strict=True
            )
        ]
    table.index = range(1, len(table) + 1)
    return table


_REVIEW_LABELS = {"subject": "事项待核"}


def _wording(facts: pd.DataFrame) -> list[object]:
    return list(facts["wording"]) if "wording" in facts.columns else [None] * len(facts)


def for_display(facts: pd.DataFrame) -> pd.DataFrame:
    """The facts a headline or a chart may show: none awaiting an analyst's check (待核)."""
    if "review" not in facts.columns:
        return facts
    return facts[facts["review"].isna()]


def review_md(view: AnnualView) -> str:
    """The 待核 box: what an analyst should check before the page is circulated ("" if nothing)."""
    lines = []  # guessed metadata is said under the page's title already
    if "review" in view.facts.columns:
        for fact in view.facts[view.facts["review"].notna()].to_dict("records"):
            value = format_value(
                fact["value"], fact["measure"], fact["qualifier"], fact.get("wording")
            )
            lines.append(
                f"- 事项“{text(fact['subject'])}”（{text(value)}，{text(fact['section'] or '导语')}）"
                "未能从原文读成完整的词，图表和概况中暂不显示，请核对后在修正表中改正。"
            )
    if not lines:
        return ""
    return "\n".join(["> **待核**", ">", *[f"> {line}" for line in lines]])


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
    return [PARTS[p] for p in PART_ORDER if p not in OPTIONAL_PARTS and p not in present]


def chart_groups(
    facts: pd.DataFrame, *, groups: int = 4, limit: int = 8
) -> list[tuple[str, pd.DataFrame]]:
    """The largest groups of achievement figures that share a dimension and a measure.

    One measure per chart keeps bars comparable; groups of a single figure are left to the
    figures table.
    """
    facts = for_display(facts)
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


def targets_section(view: AnnualView) -> pd.DataFrame | str:
    """Next year's targets, or the sentence that says why there are none."""
    table = targets(view.facts)
    if not table.empty:
        return table
    if "next_steps" not in set(view.sections["part"].dropna()):
        return "本年报告没有“下一年度工作安排”部分，没有可供明年核对的目标。"
    return "本年报告的下一年度工作安排中没有可量化的目标（没有数字的承诺无法逐项核对）。"


def charts_note(groups: list[tuple[str, pd.DataFrame]], view: AnnualView) -> str:
    """Why the charts section has no chart, when it has none ("" otherwise)."""
    if groups or (not view.facts.empty and compositions(view.facts)):
        return ""
    if view.facts.empty:
        return "报告中没有提取到量化数据，没有可画的图。"
    return (
        "报告中没有两项以上同一维度、同一计量单位的工作成效数据，没有可并列比较的图；"
        "全部数据见文末明细表。"
    )


def figures_section(view: AnnualView) -> pd.DataFrame | str:
    """The figures table, or the sentence that says the report gave none."""
    if view.facts.empty:
        return "报告中没有提取到量化数据。"
    return figures_table(view.facts)


def heading_md(view: AnnualView) -> str:
    """The page heading: title, unit, district and year, with the demo label when fictional."""
    lines = [f"# {text(view.unit)}{view.year}年度法治政府建设情况分析", ""]
    lines.append(
        f"**单位**：{text(view.district)} {text(view.unit)}　**年度**：{view.year}　"
        f"**原报告**：《{text(view.title)}》"
    )
    if view.metadata_note:
        lines += ["", f"> {text(view.metadata_note)}"]
    if view.demo:
        lines += ["", f"> {FICTIONAL_NOTE}"]
    return "\n".join(lines)


def parts_md(view: AnnualView) -> str:
    """One Markdown section per mandated part: its headings and the figures reported under it."""
    chapters = {p: i for i, p in enumerate(PART_ORDER)}
    outline = part_outline(view)
    by_section: dict[str, list[dict]] = {}
    for fact in view.facts.to_dict("records"):
        if not is_missing(fact["section"]):
            by_section.setdefault(fact["section"], []).append(fact)
    blocks = []
    for number, part in enumerate(sorted(outline, key=chapters.get), start=1):
        sections = outline[part]
        blocks += [f"### {number}. {PARTS[part]}", ""]
        listed = set(sections["path"])
        for section in sections.to_dict("records"):
            indent = "  " * _listed_ancestors(str(section["path"]), listed)
            figures = "；".join(
                f"{text(f['subject'])} {format_value(f['value'], f['measure'], f['qualifier'], f.get('wording'))}"
                for f in by_section.get(section["path"], [])
            )
            title = str(section["title"]).rstrip("。：:")
            line = f"{indent}- {text(section['number'])}{text(title)}"
            blocks.append(line + (f"：{figures}" if figures else ""))
        blocks.append("")
    missing = parts_missing(view)
    if missing:
        blocks.append(f"> 报告缺少法定内容：{'、'.join(missing)}。")
    return "\n".join(blocks)


def _listed_ancestors(path: str, listed: set[str]) -> int:
    """How many of a section's ancestors (``一、`` of ``一、/（一）``) the same outline lists: its
    depth there. A section whose parent belongs to another part starts at the top, not
    indented under an unrelated item (four spaces would make it a code block)."""
    parts = path.split("/")
    return sum("/".join(parts[:n]) in listed for n in range(1, len(parts)))


def dimension_md(facts: pd.DataFrame) -> str:
    """A paragraph per dimension listing its figures (from ``lawnb.present.narrative``)."""
    from lawnb.present.narrative import dimension_paragraphs

    paragraphs = dimension_paragraphs(facts)
    if not paragraphs:
        return "报告中没有可归入各维度的量化数据。"
    return "\n\n".join(text(body) for body in paragraphs.values())


def coverage_table(view: AnnualView) -> pd.DataFrame:
    """Per dimension: how many sections of the report address it, how many figures it gives.

    Figures count every row of the unit-year (extracted, derived and analysts' rows), as the
    district overview counts them.
    """
    sections = view.sections["dimension"] if "dimension" in view.sections else pd.Series()
    figures = view.facts["dimension"]
    rows = [
        {
            "维度": name,
            "章节数": int((sections == code).sum()),
            "数据项数": int((figures == code).sum()),
        }
        for code, name in DIMENSIONS.items()
    ]
    return pd.DataFrame(rows)


def coverage_figure(view: AnnualView) -> Figure:
    """The unit page's first picture: what the report covers, with how to read it."""
    from lawnb.present.charts.annual import dimension_coverage

    table = coverage_table(view)
    derived = int((view.facts["origin"] == "derived").sum())
    unclassified = int(view.facts["dimension"].isna().sum())
    notes = ["计数反映报告写了哪些方面、给了多少数字，不代表工作成效的高低。"]
    notes.append(
        f"数据项共{len(view.facts)}项"
        + (f"，含由总数推算的{derived}项" if derived else "")
        + (f"，另有{unclassified}项未能归入维度" if unclassified else "")
        + "。"
    )
    return dimension_coverage(
        table, title=f"{view.unit}{view.year}年度报告涉及的方面", source=view.source, notes=notes
    )


def headline_md(view: AnnualView) -> str:
    """The year's headline figures as a Markdown paragraph (from ``lawnb.present.narrative``)."""
    from lawnb.present.narrative import headline

    return text(headline(view.facts, unit=view.unit, year=view.year))


def table_or_none(table: pd.DataFrame) -> pd.DataFrame | None:
    """A table to display, or None (which displays nothing) when it is empty."""
    return None if table.empty else table
