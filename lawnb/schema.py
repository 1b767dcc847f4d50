"""Names shared by every stage: table columns, mandated parts, dimensions, kinds, qualifiers."""

from __future__ import annotations

REPORT_COLUMNS: tuple[str, ...] = (
    "report_id",
    "district",
    "unit",
    "level",
    "year",
    "title",
    "source",
    "sha256",
    "n_chars",
    "meta_source",  # where each metadata field came from: "title=title unit=opening …"
    "guessed",  # unit, district, year not read from the title nor given: "unit year"
    "confidence",  # of unit, district and year together: high, medium or low (confidence_of)
)
SECTION_COLUMNS: tuple[str, ...] = (
    "report_id",
    "path",
    "number",
    "level",
    "title",
    "part",
    "dimension",
    "start",
    "end",
)
FACT_COLUMNS: tuple[str, ...] = (
    "report_id",
    "fact_id",
    "part",
    "section",
    "dimension",
    "indicator",
    "subject",
    "value",
    "measure",
    "qualifier",
    "kind",
    "of",
    "start",
    "end",
    "sentence",
    "origin",
    "wording",  # the qualifier as the report writes it (余, 以上, 不少于 …); blank when exact
    "review",  # why a figure awaits an analyst's check (待核): "subject" when its label is broken
)

# The five mandated parts, in the order the rule lists them, with their Chinese names.
PARTS: dict[str, str] = {
    "measures": "主要举措和成效",
    "shortcomings": "存在的不足及原因",
    "first_responsible": "履行推进法治建设第一责任人职责",
    "next_steps": "下一年度工作安排",
    "other": "其他事项",
}

# The ten dimensions (national outline 2021-2025 plus 法治社会), code -> short Chinese name.
DIMENSIONS: dict[str, str] = {
    "functions": "政府职能",
    "rules": "制度体系",
    "decisions": "行政决策",
    "enforcement": "行政执法",
    "emergencies": "突发事件应对",
    "disputes": "矛盾纠纷化解",
    "oversight": "制约监督",
    "digital": "科技保障",
    "leadership": "党的领导",
    "society": "法治社会",
}

QUALIFIERS: tuple[str, ...] = ("exact", "approx", "at_least", "at_most")
KINDS: tuple[str, ...] = ("achievement", "target", "status", "composition")
ORIGINS: tuple[str, ...] = ("extracted", "derived", "manual")
#: How the outcome of last year's target is described (targets table, target sentences).
TARGET_STATUSES: tuple[str, ...] = ("已完成", "未完成", "无可比数据")
LEVELS: dict[str, str] = {
    "town": "镇",
    "township": "乡",
    "subdistrict": "街道",
    "county": "区/县",
    "city": "市",
    "province": "省",
    "department": "部门",
}

# Where a report's metadata field (title, unit, district, level, year) was read from, most
# trusted first. A unit, district or year from anything after "title" is a guess: lawnb
# import, lawnb check and the annual report page say so until an analyst confirms it.
META_SOURCES: tuple[str, ...] = (
    "override",  # given by the user (--unit, lawnb reports set)
    "title",  # the report's own title line
    "metadata",  # the page's metadata block (发布机构) or the addressee line
    "opening",  # the opening sentence of the body
    "file_name",  # the file's name
    "none",  # not found
)
TRUSTED_META_SOURCES: frozenset[str] = frozenset({"override", "title"})
GUESSABLE_FIELDS: tuple[str, ...] = ("unit", "district", "year")
# The metadata fields of a report, in the order ``meta_source`` lists them.
META_FIELDS: tuple[str, ...] = ("title", "unit", "district", "level", "year")
# Columns of the reports table that datasets saved by earlier versions lack (read as blank).
OPTIONAL_REPORT_COLUMNS: tuple[str, ...] = ("meta_source", "guessed", "confidence")
# Facts columns added after the first datasets were saved: absent from an older facts.csv.
OPTIONAL_FACT_COLUMNS: tuple[str, ...] = ("wording", "review")


def confidence_of(sources: dict[str, str]) -> str:
    """How far to trust a report's unit, district and year, from where they were read.

    ``high``: all from the title or given by the user; ``medium``: some from the page's
    metadata or the addressee; ``low``: some guessed from the text or the file name, or not
    found.
    """
    found = [sources.get(name, "none") for name in GUESSABLE_FIELDS]
    if all(s in TRUSTED_META_SOURCES for s in found):
        return "high"
    if all(s in (*TRUSTED_META_SOURCES, "metadata") for s in found):
        return "medium"
    return "low"
