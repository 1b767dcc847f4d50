"""Chinese names for the dataset's tables, columns and coded values: the one home of them.

The CSV files keep English column names and codes; the workbook a colleague opens shows these
labels, and reading a workbook back accepts either the label or the code. Pages use the same
names: the kind and origin of a fact in tables (成效, 推算), and in sentences and chart
legends (工作成效, 下一年度目标).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lawnb.schema import DIMENSIONS, LEVELS, PARTS

if TYPE_CHECKING:  # pandas is imported by the functions that need it: charts import this cheaply
    import pandas as pd

SHEET_LABELS: dict[str, str] = {
    "reports": "报告",
    "sections": "章节",
    "facts": "数据",
    "corrections": "人工修正",
    "unapplied": "未生效修正",
}

# Column labels shared by every table; TABLE_COLUMN_LABELS overrides them per table.
COLUMN_LABELS: dict[str, str] = {
    "report_id": "报告编号",
    "district": "区县",
    "unit": "单位",
    "level": "层级",
    "year": "年度",
    "title": "标题",
    "source": "来源文件",
    "sha256": "文件校验码",
    "n_chars": "字数",
    "meta_source": "元数据来源",
    "guessed": "推测的字段",
    "confidence": "元数据可信度",
    "path": "章节路径",
    "number": "序号",
    "part": "部分",
    "dimension": "维度",
    "start": "起始位置",
    "end": "结束位置",
    "fact_id": "数据编号",
    "section": "章节",
    "indicator": "指标编号",
    "subject": "事项",
    "value": "数值",
    "measure": "计量单位",
    "qualifier": "限定",
    "kind": "类型",
    "of": "所属",
    "sentence": "原文句子",
    "origin": "来源",
    "wording": "限定词原文",
    "review": "待核",
    "action": "操作",
    "reason": "修正原因",
    "file": "文件",
    "line": "行号",
    "problem": "问题",
}
TABLE_COLUMN_LABELS: dict[str, dict[str, str]] = {
    "sections": {"level": "标题级别", "title": "章节标题"},
}

QUALIFIER_LABELS: dict[str, str] = {
    "exact": "确数",
    "approx": "约数",
    "at_least": "不少于",
    "at_most": "不超过",
}
KIND_LABELS: dict[str, str] = {
    "achievement": "成效",
    "target": "目标",
    "status": "现状",
    "composition": "构成",
}
# Kinds as sentences and chart legends name them, in the order a headline counts them.
KIND_NAMES: dict[str, str] = {
    "achievement": "工作成效",
    "status": "现状数据",
    "composition": "构成数据",
    "target": "下一年度目标",
}
ORIGIN_LABELS: dict[str, str] = {"extracted": "报告摘录", "derived": "推算", "manual": "人工修订"}
ACTION_LABELS: dict[str, str] = {"edit": "修改", "add": "新增", "delete": "删除"}
# A report's metadata fields, and where each may come from (lawnb.schema.META_SOURCES).
META_FIELD_LABELS: dict[str, str] = {
    "title": "标题",
    "unit": "单位",
    "district": "区县",
    "level": "层级",
    "year": "年度",
}
META_SOURCE_LABELS: dict[str, str] = {
    "override": "人工指定",
    "title": "标题",
    "metadata": "网页发布信息",
    "opening": "正文开头",
    "file_name": "文件名",
    "none": "未识别",
}

# Coded columns and the labels of their codes (reports.level is a level code, sections.level a
# heading depth, so only the reports table translates it).
VALUE_LABELS: dict[str, dict[str, str]] = {
    "part": PARTS,
    "dimension": DIMENSIONS,
    "qualifier": QUALIFIER_LABELS,
    "kind": KIND_LABELS,
    "origin": ORIGIN_LABELS,
    "action": ACTION_LABELS,
}


def column_labels(table: str) -> dict[str, str]:
    """English column name -> Chinese header for one table."""
    return {**COLUMN_LABELS, **TABLE_COLUMN_LABELS.get(table, {})}


def value_labels(table: str, column: str) -> dict[str, str]:
    """Code -> Chinese label of a coded column of a table (empty when the column is free text)."""
    if column == "level" and table == "reports":
        return LEVELS
    return VALUE_LABELS.get(column, {})


def to_labels(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """The table with Chinese headers and coded values shown by their Chinese labels."""
    import pandas as pd

    out = pd.DataFrame(index=frame.index)
    for column in frame.columns:
        labels = value_labels(table, column)
        values = frame[column].astype(object)
        out[column] = values.map(lambda v, m=labels: m.get(v, v)) if labels else values
    return out.rename(columns=column_labels(table))


def from_labels(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """The inverse of ``to_labels``: English headers and codes (codes and unknown values pass)."""
    headers = {label: name for name, label in column_labels(table).items()}
    out = frame.rename(columns=lambda c: headers.get(str(c).strip(), str(c).strip()))
    for column in out.columns:
        labels = value_labels(table, column)
        if labels:
            codes = {label: code for code, label in labels.items()}
            out[column] = out[column].map(
                lambda v, m=codes: m.get(v.strip(), v.strip()) if isinstance(v, str) else v
            )
    return out
