"""Where a page's figures come from: the source line under every chart, and whether a dataset
is fictional (its pages then say 虚构示例数据).

Takes who reported and the year, or a loaded :class:`~lawnb.store.dataset.Dataset`; gives the
source line (naming the report by its usual title), the note under a fictional page's heading,
or a yes/no. Importing it is cheap (no pandas, no matplotlib).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lawnb.bundled import is_fictional as manifest_is_fictional

if TYPE_CHECKING:
    from lawnb.store.dataset import Dataset

#: What a page made from a fictional dataset says under its heading.
FICTIONAL_NOTE = "本页数据为虚构示例数据，仅用于演示。"


def usual_title(unit: str, year: int | str) -> str:
    """The title a unit-year's report usually has: ``齐村镇2020年度法治政府建设情况报告``."""
    return f"{unit}{year}年度法治政府建设情况报告"


def source_line(unit: str, year: int | str, *, demo: bool = False) -> str:
    """The footer line naming where the data come from.

    ``source_line("齐村镇", 2020) == "数据来源：齐村镇2020年度法治政府建设情况报告"``; ``unit``
    may name several (``"示例区各单位"``). With ``demo=True`` the line ends with （虚构示例数据）.
    """
    line = f"数据来源：{usual_title(unit, year)}"
    return f"{line}（虚构示例数据）" if demo else line


def is_fictional(dataset: Dataset) -> bool:
    """True when the dataset's manifest marks it fictional (``lawnb.bundled.is_fictional``)."""
    return manifest_is_fictional(dataset.manifest)
