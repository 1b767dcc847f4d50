"""Tables and text prepared for the notebooks: what to show, chosen from the dataset.

Notebooks call these and hold no logic of their own; nothing here draws or reads files.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

import pandas as pd

from lawnb.formatting import format_value, is_missing
from lawnb.present.display import excerpt
from lawnb.schema import DIMENSIONS, PARTS
from lawnb.store.dataset import Dataset

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
    metadata_note: str = ""  # says which of unit, district, year were guessed ("" if none)

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
        district="" if pd.isna(row["district"]) else str(row["district"]),
        title=f"{unit}{year}年度法治政府建设情况报告"
        if pd.isna(row["title"])
        else str(row["title"]),
        facts=dataset.facts_for(unit, year),
        sections=dataset.sections_for(unit, year),
        demo=str(row["district"]) == "示例区",
        metadata_note=guessed_sentence(row),
    )


# Where a guess came from, as the page's sentence says it: “是从正文推测的”.
_GUESSED_FROM = {"metadata": "网页的发布信息", "opening": "正文", "file_name": "文件名"}


def guessed_sentence(row: pd.Series | dict) -> str:
    """“本报告的单位、年度是从正文推测的，尚未核对。” for a reports row with guessed fields.

    Empty when nothing is guessed, or for a dataset saved before lawnb recorded it.
    """
    from lawnb.store.report_metadata import field_names, guessed_groups, parse_meta_source

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


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]#|!~])")


def text(value: object) -> str:
    """A data value made safe to place in Markdown or HTML (never interpreted as markup)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(str(value), quote=False))


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
            "数值": [
                format_value(v, m, q, w)
                for v, m, q, w in zip(
                    facts["value"],
                    facts["measure"],
                    facts["qualifier"],
                    _wording(facts),
                    strict=True,
                )
            ],
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
    return [PARTS[p] for p in PART_ORDER if p != "other" and p not in present]


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
        lines += ["", "> 本页数据为虚构示例数据，仅用于演示。"]
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
        for section in sections.to_dict("records"):
            indent = "  " * (int(section["level"]) - 1)
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


def coverage_figure(view: AnnualView):  # type: ignore[no-untyped-def]
    """The unit page's first picture: what the report covers, with how to read it."""
    from lawnb.present.charts import dimension_coverage

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


# --- across years (lawnb.analyse.compare) -------------------------------------------------------------


@dataclass
class Comparison:
    """What the notebook says about one unit-year against the year before."""

    markdown: str
    changes: pd.DataFrame  # for charts.year_on_year: label, previous, current, measure, qualifiers
    table: pd.DataFrame  # readable Chinese table
    chart_note: str = ""  # how many compared indicators the chart leaves to the table


def comparison(dataset: Dataset, view: AnnualView, *, chart_rows: int = 6) -> Comparison:
    """Year-on-year changes of the unit, or a note that the dataset has no earlier year."""
    from lawnb.analyse.compare import NOT_MENTIONED, year_on_year
    from lawnb.present.narrative import change_sentence

    table = year_on_year(dataset, view.unit, view.year)
    if not table.attrs.get("previous_report", True):
        note = f"数据集中没有{text(view.unit)}{view.year - 1}年的报告，暂无法与上年对比。"
        return Comparison(note, table, table)
    both = table[table["status"].isin(["增长", "下降", "持平"])]
    sentences = [
        change_sentence(
            r.label,
            r.previous,
            r.current,
            r.measure,
            r.previous_qualifier,
            r.current_qualifier,
            getattr(r, "previous_wording", None),
            getattr(r, "current_wording", None),
        )
        for r in both.itertuples()
    ]
    new = table[table["status"] == "新增"]["label"].tolist()
    gone = table[table["status"] == NOT_MENTIONED]["label"].tolist()
    lines = [f"与{view.year - 1}年报告相比，{len(both)}项指标两年均有数据："]
    lines += [f"- {text(s)}" for s in sentences]
    if new:
        lines.append(f"\n本年新出现的指标：{text('、'.join(new))}。")
    if gone:
        lines.append(
            f"\n上年报告有、本年报告未提及的指标：{text('、'.join(gone))}（未提及不等于工作停止）。"
        )
    changes = both.rename(
        columns={"previous_qualifier": "prev_qualifier", "current_qualifier": "cur_qualifier"}
    )
    more = len(changes) - chart_rows
    note = f"图中为前{chart_rows}项，其余{more}项见下表。" if more > 0 else ""
    return Comparison("\n".join(lines), changes.head(chart_rows), _change_table(table), note)


def _change_table(table: pd.DataFrame) -> pd.DataFrame:
    def quantities(side: str) -> list[str]:
        wording = table.get(f"{side}_wording", pd.Series([None] * len(table), index=table.index))
        return [
            "—" if pd.isna(v) else format_value(v, m, q or "exact", w)
            for v, m, q, w in zip(
                table[side], table["measure"], table[f"{side}_qualifier"], wording, strict=True
            )
        ]

    readable = pd.DataFrame(
        {
            "指标": table["label"],
            "上年": quantities("previous"),
            "本年": quantities("current"),
            "变化": table["status"],
        }
    )
    readable.index = range(1, len(readable) + 1)
    return readable


@dataclass
class Promises:
    """Last year's targets checked against this year's results."""

    markdown: str
    chart: pd.DataFrame  # for charts.targets_vs_results
    table: pd.DataFrame


def promises(dataset: Dataset, view: AnnualView) -> Promises:
    """The targets of the year before and whether this year's report shows them met."""
    from lawnb.analyse.compare import targets
    from lawnb.present.narrative import target_sentence

    previous_year = view.year - 1
    if previous_year not in dataset.years(view.unit):
        note = (
            f"数据集中没有{text(view.unit)}{previous_year}年的报告，无法核对上年承诺。"
            f"本年报告提出的目标见下一节，供{view.year + 1}年核对。"
        )
        return Promises(note, pd.DataFrame(), pd.DataFrame())
    table = targets(dataset, view.unit, previous_year)
    if table.empty:
        note = f"{text(view.unit)}{previous_year}年报告的下步安排中没有可量化的目标。"
        return Promises(note, table, table)
    counts = table["status"].value_counts()
    summary = "，".join(
        f"{status}{int(counts.get(status, 0))}项" for status in ("已完成", "未完成", "无可比数据")
    )
    lines = [f"{previous_year}年报告提出{len(table)}项可量化目标：{summary}。", ""]
    lines += [
        f"- {text(target_sentence(r.label, r.target, r.target_qualifier, r.result, r.status, r.measure, getattr(r, 'target_wording', None)))}"
        for r in table.itertuples()
    ]
    chart = table.rename(columns={"target_qualifier": "qualifier"})
    readable = pd.DataFrame(
        {
            "目标": table["label"],
            "承诺": [
                format_value(v, m, q, w)
                for v, m, q, w in zip(
                    table["target"],
                    table["measure"],
                    table["target_qualifier"],
                    table["target_wording"],
                    strict=True,
                )
            ],
            "实际": [
                "—" if pd.isna(v) else format_value(v, m, q or "exact")
                for v, m, q in zip(
                    table["result"], table["measure"], table["result_qualifier"], strict=True
                )
            ],
            "状态": table["status"],
        }
    )
    readable.index = range(1, len(readable) + 1)
    return Promises("\n".join(lines), chart, readable)


def trend_section(dataset: Dataset, view: AnnualView, *, limit: int = 4) -> list[object]:
    """Indicators over three or more years up to this one: a sentence, a chart and a note; an
    empty list when the dataset has fewer years of the unit. At most ``limit`` indicators,
    those reported in the most years first."""
    from lawnb.analyse.compare import trends
    from lawnb.present.charts import trend

    years = [y for y in dataset.years(view.unit) if y <= view.year]
    if len(years) < 3:
        return []
    table = trends(dataset, view.unit, years=years)
    if table.empty:
        return []
    present = table.groupby(["key", "measure"], observed=True)["value"].count()
    present = present[present >= 3]
    if present.empty:
        return []
    # One measure per chart (the one most indicators share): lines on one axis compare.
    measure = present.index.get_level_values("measure").value_counts().index[0]
    same = present[present.index.get_level_values("measure") == measure]
    keep = same.sort_values(ascending=False).head(limit).index
    chosen = table.set_index(["key", "measure"]).loc[list(keep)].reset_index()
    if chosen.empty:
        return []
    more = len(present) - len(keep)
    chart = trend(chosen, source=view.source)
    note = f"另有{more}项指标也有三年以上数据，图中未画出。" if more > 0 else ""
    return [f"{years[0]}—{years[-1]}年报告中连续出现的指标：", chart, note]


def comparison_figure(result: Comparison, view: AnnualView):  # type: ignore[no-untyped-def]
    """The year-on-year chart, or None when there is nothing to compare."""
    from lawnb.present.charts import year_on_year

    return None if result.changes.empty else year_on_year(result.changes, source=view.source)


def promises_figure(result: Promises, view: AnnualView):  # type: ignore[no-untyped-def]
    """The targets-against-results chart, or None when there are no targets to check."""
    from lawnb.present.charts import targets_vs_results

    return None if result.chart.empty else targets_vs_results(result.chart, source=view.source)


def table_or_none(table: pd.DataFrame) -> pd.DataFrame | None:
    """A table to display, or None (which displays nothing) when it is empty."""
    return None if table.empty else table


# --- one year, all units (district overview) ------------------------------------------------


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
        line = f"数据来源：{self.district}各单位{self.year}年度法治政府建设情况报告"
        return line + "（虚构示例数据）" if self.demo else line


def district_view(dataset: Dataset, year: int, district: str = "") -> DistrictView:
    """The units of a district (or of the whole dataset) that reported for ``year``."""
    from lawnb.analyse.compare import district as district_tables

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
    view = DistrictView(name, int(year), units, tables, demo=name == "示例区")
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
        lines += ["", "> 本页数据为虚构示例数据，仅用于演示。"]
    return "\n".join(lines)


def parts_missing_md(view: DistrictView) -> str:
    """Which units lack which mandated parts, in one sentence per unit."""
    parts = view.tables["parts"]
    lines = []
    for unit, row in parts.iterrows():
        missing = [
            PARTS[p] for p in PART_ORDER if p != "other" and p in row.index and row[p] is not True
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
    labels = table.attrs.get("labels", {})
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
        rows[labels.get(indicator, indicator)] = row
    if not rows:
        return "没有两个以上单位以相同计量单位报告的指标，本节不作并列比较。"
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "指标"
    return out


def district_note_md(view: DistrictView) -> str:
    """The caveat that counts depend on a unit's size and are not a ranking."""
    return f"> {text(view.tables['note'])}"


# --- audit findings -------------------------------------------------------------------------

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
