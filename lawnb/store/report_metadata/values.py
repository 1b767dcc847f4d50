"""The metadata an analyst gives for a report (``lawnb reports set``), checked.

Takes a unit, district, level, year and title as typed on the command line or passed to
``set_report`` (None: not given) and gives them checked and normalised (a level's Chinese name
as its code, a year as an int), or raises ``LawnbError`` saying how to fix a bad one. Names and
years follow ``lawnb.names``, the rule every stage uses.
"""

from __future__ import annotations

import re

from lawnb.errors import LawnbError
from lawnb.names import is_report_year, refused_name, year_range_text
from lawnb.schema import LEVELS


def checked_values(
    *,
    unit: str | None = None,
    district: str | None = None,
    level: str | None = None,
    year: object = None,
    title: str | None = None,
) -> dict[str, object]:
    """The fields given (None: not given), checked; ``LawnbError`` saying how to fix a bad one.

    ``district=""`` means the report has no district; ``level`` may be a code or its Chinese
    name (镇 → town); ``year`` may be text.
    """
    values: dict[str, object] = {}
    for label, name, value in (
        ("单位 (unit)", "unit", unit),
        ("区县 (district)", "district", district),
    ):
        if value is None:
            continue
        value = str(value).strip()
        if not value and name == "unit":
            raise LawnbError(f"{label} 不能为空。请填写单位的中文全称。")
        refusal = refused_name(value)
        if refusal:
            raise LawnbError(f"{label} {refusal}。请改用中文全称。")
        values[name] = value
    if level is not None:
        values["level"] = _level_code(level)
    if year is not None:
        values["year"] = _year(year)
    if title is not None:
        title = str(title).strip()
        if re.search(r"[\x00-\x1f\x7f]", title):
            raise LawnbError(f"标题 (title) {title!r} 含有换行或控制字符。请写成一行。")
        if not title:
            raise LawnbError("标题 (title) 不能为空。")
        values["title"] = title
    return values


def _level_code(level: str) -> str:
    text = str(level).strip()
    if text in LEVELS:
        return text
    by_label = {label: code for code, label in LEVELS.items()}
    by_label.update({"区": "county", "县": "county"})
    if text in by_label:
        return by_label[text]
    known = "、".join(f"{code}（{label}）" for code, label in LEVELS.items())
    raise LawnbError(f"层级 (level) {text!r} 未知。可用：{known}。")


def _year(year: object) -> int:
    text = str(year).strip()
    if not re.fullmatch(r"\d{4}", text) or not is_report_year(int(text)):
        raise LawnbError(
            f"年度 (year) {text!r} 无效：应为 {year_range_text()} 之间的四位数年份，如 2021。"
        )
    return int(text)
