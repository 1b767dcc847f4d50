"""The one rule for names that become report ids and file names, and for report years.

A unit or district name is part of a ``report_id`` (``district/unit/year``) and of an output
path (``outputs/<year>/<district>/<unit>.html``). ``name_problem`` says why a name cannot be
one: a control, line-separator or invisible format character (bidi overrides, zero width), path
syntax (``/ \\``, a leading dot, ``..``, a drive letter), a device name Windows reserves
(``CON``, ``NUL.txt``), blank space at either end or a trailing dot, or more than ``MAX_NAME_LENGTH`` characters.
Every stage (import, load, the planner) checks names and years with these, so they cannot
drift apart.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

#: The longest unit or district name (characters). Real names stay near 15 (the longest seen,
#: 郑州市人力资源和社会保障局, has 13); 40 CJK characters are 120 bytes, well within a file name.
MAX_NAME_LENGTH = 40
#: Path syntax a regular expression can see: separators, a leading dot, ``..``, a drive letter.
#: Kept for callers that match text columns; ``name_problem`` is the whole rule.
UNSAFE_NAME = re.compile(r"[/\\\x00-\x1f\x7f]|^\.|\.\.|^[A-Za-z]:")
#: Device names Windows reserves, with or without an extension, in any case.
WINDOWS_RESERVED = frozenset(
    ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"]
    + [f"{device}{n}" for device in ("COM", "LPT") for n in "123456789¹²³"]
)
#: Unicode categories refused anywhere in a name: control (Cc), format (Cf: bidi overrides,
#: zero-width characters, BOM), line and paragraph separators (Zl, Zp), lone surrogates (Cs).
REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs"})
_CATEGORY_NAMES = {
    "Cc": "控制字符",
    "Cf": "不可见的格式字符（如双向文本控制、零宽字符）",
    "Zl": "换行符",
    "Zp": "换段符",
    "Cs": "无效字符（单独的代理码位）",
}
#: The years a report can be about (inclusive).
YEAR_RANGE = (1990, 2100)
#: The folder under ``outputs/<year>/`` for the pages of units whose district is not known.
NO_DISTRICT = "未知区县"
#: What the rule allows, for messages that tell how to fix a name.
NAME_RULE_TEXT = (
    f"名称最多 {MAX_NAME_LENGTH} 个字符，不能含路径符号（/ \\ ..）、控制字符或不可见字符，"
    "不能是 Windows 保留名（CON、NUL 等），不能以点或空格结尾"
)


def name_problem(value: str) -> str | None:
    """Why ``value`` cannot be a name in a report id or a file name (Chinese), or None.

    A blank ``value`` is None here: whether a name may be blank is each caller's rule.
    """
    if not isinstance(value, str):
        return f"应为文本，得到 {type(value).__name__}"
    if not value:
        return None
    if len(value) > MAX_NAME_LENGTH:
        return f"太长（{len(value)} 个字符，最多 {MAX_NAME_LENGTH} 个）"
    for char in value:
        category = unicodedata.category(char)
        if category in REFUSED_CATEGORIES:
            return f"含有{_CATEGORY_NAMES[category]} U+{ord(char):04X}"
    if "/" in value or "\\" in value:
        return "含有路径符号（/ 或 \\）"
    if ".." in value:
        return "含有路径符号 .."
    if value.startswith("."):
        return "含有路径符号（开头的点，会成为隐藏文件）"
    if re.match(r"[A-Za-z]:", value):
        return "含有路径符号（盘符，如 C:）"
    if value.split(".", 1)[0].rstrip(" ").upper() in WINDOWS_RESERVED:
        return "是 Windows 保留的设备名（CON、PRN、AUX、NUL、COM1–9、LPT1–9）"
    if value[-1] == ".":
        return "以点结尾（Windows 会去掉它）"
    if value[0].isspace() or value[-1].isspace():
        return "以空白开头或结尾"
    return None


def refused_name(value: str) -> str | None:
    """The end of a message refusing ``value`` as a name (the name, why, the rule), or None."""
    problem = name_problem(value)
    if problem is None:
        return None
    return f"{shown_name(value)} {problem}，不能用作报告编号和输出文件名（{NAME_RULE_TEXT}）"


def is_unsafe_name(value: str) -> bool:
    """True when ``value`` cannot be used as a name in a report id or a file name."""
    return name_problem(value) is not None


def shown_name(value: Any, limit: int = 60) -> str:
    """A name as a message quotes it: capped at ``limit`` characters, invisible ones escaped."""
    text = str(value)
    return repr(text[:limit]) + ("……" if len(text) > limit else "")


def is_report_year(value: Any) -> bool:
    """True for an ``int`` (not a ``bool``) within ``YEAR_RANGE``."""
    return (
        isinstance(value, int)
        and not isinstance(value, bool)
        and YEAR_RANGE[0] <= value <= YEAR_RANGE[1]
    )


def year_range_text() -> str:
    """The year range as a reader sees it: ``1990–2100``."""
    return f"{YEAR_RANGE[0]}–{YEAR_RANGE[1]}"


def report_id(district: str | None, unit: str | None, year: int | str | None) -> str:
    """The key of a report in a dataset: ``district/unit/year`` (a blank part stays empty)."""
    return "/".join("" if part is None else str(part) for part in (district, unit, year))
