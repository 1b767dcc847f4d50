"""Validation of the dataset's tables with pandera: every problem, by file, line and column, in Chinese.

Tables are validated as text (see ``lawnb.store.sheets``), before any conversion, so that a cell that
is not a number is reported like any other problem instead of stopping the load. The schemas
are declared from ``RULES`` (one ``Rule`` per column, ``lawnb.store.column_rules``); pandera
runs them lazily and collects every failure, which ``problems_from`` turns into ``Problem`` rows.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from lawnb.errors import DatasetError
from lawnb.names import NAME_RULE_TEXT, YEAR_RANGE, name_problem, shown_name, year_range_text
from lawnb.store.column_rules import (
    CLEAR,
    MAX_VALUE,
    OPTIONAL_COLUMNS,
    PATTERNS,
    RULES,
    SIGNED_MEASURES,
    VOCABULARIES,
    Rule,
)

if TYPE_CHECKING:  # pragma: no cover
    import pandera.pandas as pa

MAX_IN_MESSAGE = 30
RowMessage = Callable[[pd.DataFrame, int | None], str]  # the message of a caller's row check


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a table: where (file, line, column) and what to do about it."""

    file: str
    line: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        if self.line is not None and self.column:
            return f"{self.file}: 第 {self.line} 行，列 {self.column}：{self.message}"
        if self.line is not None:
            return f"{self.file}: 第 {self.line} 行：{self.message}"
        return f"{self.file}: {self.message}"


class DatasetValidationError(DatasetError):
    """A dataset (or a table for it) that fails validation; ``problems`` lists every problem."""

    def __init__(self, problems: Sequence[Problem], label: str = "") -> None:
        self.problems = list(problems)
        super().__init__(describe(self.problems, label))


def describe(problems: Sequence[Problem], label: str = "", limit: int = MAX_IN_MESSAGE) -> str:
    """A message listing the problems (the first ``limit`` of them) one per line."""
    head = f"数据集{f'“{label}”' if label else ''}未通过检查，共 {len(problems)} 处错误："
    lines = [str(p) for p in problems[:limit]]
    if len(problems) > limit:
        more = f"……另有 {len(problems) - limit} 处错误"
        lines.append(
            more + (f"，运行 `lawnb check --dataset {label}` 查看全部。" if label else "。")
        )
    return "\n".join([head, *lines])


# --- element checks (text in, True where the cell is acceptable; blanks never reach them) --------


def _numbers(values: pd.Series) -> pd.Series:
    return pd.to_numeric(values.astype(object), errors="coerce")


def is_number(values: pd.Series) -> pd.Series:
    """True where the text is a number."""
    return _numbers(values).notna()


def is_integer(values: pd.Series) -> pd.Series:
    """True where the text is a whole number (``12`` or ``12.0``) or not a number at all."""
    numbers = _numbers(values)
    return numbers.isna() | (numbers % 1 == 0)


def is_safe_name(values: pd.Series) -> pd.Series:
    """True where the text is usable as a unit or district name (``lawnb.names``)."""
    return values.astype(str).map(name_problem).isna()


def named_check(fn: Callable[..., Any], name: str, **kwargs: Any) -> pa.Check:
    """A pandera check whose ``name`` selects its message (True where a value is acceptable)."""
    import pandera.pandas as pa

    return pa.Check(fn, name=name, **kwargs)


def _column_checks(
    rule: Rule, report_ids: Iterable[str] | None, allow_clear: bool
) -> list[pa.Check]:
    checks = []
    if rule.number:
        checks.append(named_check(_clearable(is_number, allow_clear), "number"))
    if rule.number == "int":
        checks.append(named_check(_clearable(is_integer, allow_clear), "integer"))
    if rule.non_negative:
        checks.append(named_check(lambda s: ~(_numbers(s) < 0), "non_negative"))
    if rule.plausible:
        checks.append(named_check(lambda s: ~(_numbers(s).abs() > MAX_VALUE), "plausible"))
    if rule.safe_name:
        checks.append(named_check(is_safe_name, "safe_name"))
    if rule.pattern:
        regex = PATTERNS[rule.pattern][0]
        checks.append(
            named_check(
                _clearable(lambda s, r=regex: s.astype(str).str.fullmatch(r), allow_clear),
                f"pattern:{rule.pattern}",
            )
        )
    if rule.year:
        low, high = YEAR_RANGE
        checks.append(named_check(lambda s: ~((_numbers(s) < low) | (_numbers(s) > high)), "year"))
    clear = set(CLEAR) if allow_clear else set()
    if rule.vocabulary:
        allowed = set(VOCABULARIES[rule.vocabulary]) | clear
        checks.append(named_check(lambda s, a=allowed: s.isin(a), f"vocabulary:{rule.vocabulary}"))
    if rule.catalog:
        known = set(indicator_ids()) | clear
        checks.append(named_check(lambda s, k=known: s.isin(k), "catalog"))
    if rule.report and report_ids is not None:
        ids = set(report_ids)
        checks.append(named_check(lambda s, k=ids: s.isin(k), "report"))
    if allow_clear and (rule.required or not rule.clearable):
        checks.append(named_check(lambda s: ~s.isin(CLEAR), "not_clearable"))
    return checks


def _clearable(
    check: Callable[[pd.Series], pd.Series], allow_clear: bool
) -> Callable[[pd.Series], pd.Series]:
    if not allow_clear:
        return check
    return lambda s: check(s) | s.isin(CLEAR)


def indicator_ids() -> list[str]:
    """The ids of the indicator catalogue."""
    from lawnb.extract.catalog import indicators

    return [indicator.id for indicator in indicators()]


# --- row checks (a whole table in, True where the row is acceptable) ----------------------------


def negative_counts(frame: pd.DataFrame) -> pd.Series:
    """True where a fact's value is not a negative count (rates such as % may be negative).

    Without a measure column (a correction that only changes values) every value is a count.
    """
    negative = _numbers(frame["value"]) < 0
    if "measure" not in frame:
        return ~negative
    return ~(negative & ~frame["measure"].isin(SIGNED_MEASURES))


def first_of_duplicates(frame: pd.DataFrame, columns: list[str]) -> pd.Series:
    """True on each row but the second and later copies of the same ``columns`` values."""
    return ~_keyed(frame, columns).duplicated(keep="first")


def first_alike(frame: pd.DataFrame, line: int | None, columns: list[str]) -> int | str:
    """The first line whose ``columns`` hold what they hold on ``line`` ("?" for no such line).

    Blank cells are alike: the line a duplicate names is the one ``first_of_duplicates`` kept.
    """
    if line not in frame.index:
        return "?"
    keyed = _keyed(frame, columns)
    return min(keyed[(keyed == keyed.loc[line]).all(axis=1)].index)


def _keyed(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    return frame[columns].astype(object).where(frame[columns].notna(), "\0")


def _row_checks(table: str, columns: set[str], rules: dict[str, Rule]) -> list[pa.Check]:
    """Whole-row checks: negative counts, and duplicates (``corrections`` may repeat a blank id)."""
    checks = []
    if table == "reports" and "report_id" in columns:
        checks.append(
            named_check(lambda f: first_of_duplicates(f, ["report_id"]), "duplicate_report")
        )
    if table in ("facts", "corrections") and "value" in columns:
        checks.append(named_check(negative_counts, "negative_count"))
    if table == "facts" and {"report_id", "fact_id"} <= columns:
        checks.append(
            named_check(lambda f: first_of_duplicates(f, ["report_id", "fact_id"]), "duplicate_id")
        )
    if table in ("facts", "corrections"):
        content = [c for c in rules if c != "fact_id" and c in columns]
        checks.append(named_check(lambda f: first_of_duplicates(f, content), "duplicate_row"))
    return checks


def schema(
    table: str,
    columns: Iterable[str],
    *,
    report_ids: Iterable[str] | None = None,
    rules: dict[str, Rule] | None = None,
    required_columns: Iterable[str] | None = None,
    allow_clear: bool = False,
    row_checks: Sequence[pa.Check] = (),
) -> pa.DataFrameSchema:
    """The pandera schema of a text table (``columns`` are those the file has)."""
    import pandera.pandas as pa

    rules = rules or RULES[table]
    if required_columns is None:
        required_columns = [c for c in rules if c not in OPTIONAL_COLUMNS.get(table, ())]
    must = set(required_columns)
    present = set(columns)
    return pa.DataFrameSchema(
        {
            name: pa.Column(
                checks=_column_checks(rule, report_ids, allow_clear),
                nullable=not rule.required,
                required=name in must,
            )
            for name, rule in rules.items()
        },
        checks=[*_row_checks(table, present, rules), *row_checks],
        strict=True,
    )


def validate_text_table(
    frame: pd.DataFrame,
    table: str,
    file: str,
    *,
    report_ids: Iterable[str] | None = None,
    rules: dict[str, Rule] | None = None,
    required_columns: Iterable[str] | None = None,
    allow_clear: bool = False,
    row_checks: Sequence[pa.Check] = (),
    messages: dict[str, RowMessage] | None = None,
) -> list[Problem]:
    """Every problem of a text table (index = line numbers), or an empty list.

    ``row_checks`` are extra whole-table checks; ``messages`` gives the message of each of
    their names (they are reported on the row, without a column).
    """
    import pandera.pandas as pa

    rules = rules or RULES[table]
    table_schema = schema(
        table,
        frame.columns,
        report_ids=report_ids,
        rules=rules,
        required_columns=required_columns,
        allow_clear=allow_clear,
        row_checks=row_checks,
    )
    try:
        table_schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        return problems_from(exc.failure_cases, frame, file, rules, messages or {})
    return []


# --- failure cases -> problems ------------------------------------------------------------------


def problems_from(
    cases: pd.DataFrame,
    frame: pd.DataFrame,
    file: str,
    rules: dict[str, Rule],
    messages: dict[str, RowMessage],
) -> list[Problem]:
    """pandera's failure cases as problems: the header first, then one per cell in line order."""
    cells = cases[~cases["check"].isin(["column_in_schema", "column_in_dataframe"])]
    found: dict[tuple[int | None, str | None], str] = {}
    for case in cells.itertuples(index=False):
        line = None if pd.isna(case.index) else int(case.index)
        check = str(case.check)
        column = None if check in messages else ROW_CHECK_COLUMNS.get(check, case.column)
        column = None if pd.isna(column) else str(column)
        if check == "duplicate_id" and (line, None) in found:
            continue  # the same row is already reported as an identical copy
        found.setdefault((line, column), check)
        if check == "duplicate_row":
            found.pop((line, "fact_id"), None)
    order = {name: i for i, name in enumerate(rules)}
    keys = sorted(found, key=lambda k: (k[0] or 0, order.get(k[1] or "", -1)))
    return _column_problems(cases, file, list(rules)) + [
        Problem(
            file,
            line,
            column,
            messages[found[line, column]](frame, line)
            if found[line, column] in messages
            else _message(found[line, column], frame, line, column),
        )
        for line, column in keys
    ]


def _column_problems(cases: pd.DataFrame, file: str, expected: list[str]) -> list[Problem]:
    missing = cases.loc[cases["check"] == "column_in_dataframe", "failure_case"].tolist()
    unknown = cases.loc[cases["check"] == "column_in_schema", "failure_case"].tolist()
    if not missing and not unknown:
        return []
    message = "列不符合要求。"
    message += f"缺少列：{', '.join(map(str, missing))}。" if missing else ""
    message += f"未知列：{', '.join(map(str, unknown))}。" if unknown else ""
    message += f"应有列：{', '.join(expected)}。请按此改正表头（列名区分大小写）。"
    return [Problem(file, None, None, message)]


ROW_CHECK_COLUMNS = {
    "negative_count": "value",
    "duplicate_id": "fact_id",
    "duplicate_row": None,
    "duplicate_report": "report_id",
}


# The message of each failed cell check: ``shown`` is the cell's text.
_CELL_MESSAGES = {
    "not_nullable": "不能为空。请填写。",
    "not_clearable": "{shown} 表示清空，但这一列不能为空。请填写一个值。",
    "number": "{shown!r} 不是数字。请改为数字（如 12 或 3.5，不带单位和千位逗号）。",
    "integer": "{shown!r} 不是整数。请改为整数。",
    "non_negative": "{shown} 是负数。请改为 0 或正数。",
    "plausible": "{shown} 大得不合理（超过 {max_value:,}）。请核对数值和计量单位（如 万元）。",
    "year": "年度 {shown} 超出范围（{years}）。请改为四位数的年度，如 2021。",
    "report": "报告编号 {shown!r} 在 reports.csv 中不存在。请改为已有的报告编号，或先导入该报告。",
}


def _message(check: str, frame: pd.DataFrame, line: int | None, column: str | None) -> str:
    value = frame.at[line, column] if line in frame.index and column in frame else None
    shown = "" if value is None or pd.isna(value) else str(value)
    if check == "safe_name":
        return name_message(shown)
    if check in _CELL_MESSAGES:
        return _CELL_MESSAGES[check].format(
            shown=shown, max_value=MAX_VALUE, years=year_range_text()
        )
    if check.startswith("pattern:"):
        return f"{shown!r} 格式不对：{PATTERNS[check.split(':', 1)[1]][1]}"
    if check.startswith("vocabulary:"):
        allowed = VOCABULARIES[check.split(":", 1)[1]]
        return f"未知取值 {shown!r}。可用取值：{', '.join(allowed)}。"
    if check == "catalog":
        return _unknown_indicator(shown)
    if check == "negative_count":
        return _negative_count(frame, line)
    if check in ("duplicate_id", "duplicate_row", "duplicate_report"):
        return _duplicate(check, frame, line)
    return f"{shown!r} 未通过检查 {check}。"


def name_message(value: str) -> str:
    """The message of a unit or district name that ``lawnb.names`` refuses."""
    return (
        f"名称 {shown_name(value)} {name_problem(value) or '不合要求'}，不能用作报告编号和文件名。"
        f"请改正名称（{NAME_RULE_TEXT}）。"
    )


def name_problems(reports: pd.DataFrame, file: str) -> list[Problem]:
    """The problems of the unit and district names of a reports table (text, index = line).

    Cheap (no pandera): run on every load, also when the manifest says that the tables were
    validated, since a name becomes an output path.
    """
    problems = []
    for column, rule in RULES["reports"].items():
        if not rule.safe_name or column not in reports:
            continue
        values = reports[column].dropna()
        for line, value in values[~is_safe_name(values)].items():
            problems.append(Problem(file, int(line), column, name_message(str(value))))
    return sorted(problems, key=lambda p: p.line or 0)  # stable: columns in their order


def _unknown_indicator(value: str) -> str:
    close = difflib.get_close_matches(value, indicator_ids(), n=1, cutoff=0.6)
    hint = f"是否应为 {close[0]}？" if close else ""
    return (
        f"未知指标编号 {value!r}（不在指标目录 lawnb/rules/catalog.yaml 中）。{hint}"
        "请改为目录中的编号，或留空。"
    )


def _negative_count(frame: pd.DataFrame, line: int | None) -> str:
    value = frame.at[line, "value"] if line in frame.index else ""
    measure = frame.at[line, "measure"] if line in frame.index and "measure" in frame else ""
    measure = "" if pd.isna(measure) else measure
    return (
        f"数量不能为负数（{f'{value} {measure}'.strip()}）。请改为 0 或正数；减少、下降请写在“事项”中。"
        f"只有比率（{'、'.join(sorted(SIGNED_MEASURES))}）可以为负。"
    )


def _duplicate(check: str, frame: pd.DataFrame, line: int | None) -> str:
    columns = {"duplicate_id": ["report_id", "fact_id"], "duplicate_report": ["report_id"]}.get(
        check, [c for c in frame.columns if c != "fact_id"]
    )
    first = first_alike(frame, line, columns)
    if check == "duplicate_id":
        return f"与第 {first} 行的报告编号和 fact_id 相同（重复数据）。请删除其中一行，或改用新的 fact_id。"
    if check == "duplicate_report":
        return f"报告编号与第 {first} 行相同。每份报告只能有一行，请删除重复的行。"
    return f"与第 {first} 行内容完全相同（重复数据）。请删除其中一行。"
