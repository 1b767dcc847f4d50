"""Text cells that a spreadsheet would run as a formula (CSV/formula injection), made inert.

A text value starting with ``=`` ``+`` ``-`` ``@``, a TAB or a CR is taken by Excel and WPS as
a formula when a CSV file is opened (``=HYPERLINK(…)``, ``=cmd|…``), and openpyxl writes such a
``str`` as a live formula. Every CSV lawnb writes passes its text cells through
``csv_frame`` (one leading apostrophe, as Excel itself shows text that looks like a formula),
and ``sheets.read_csv_text`` takes it off again with ``from_csv``: the pair is a bijection, so
a table read back gives exactly the strings written. A text value that is a plain number
(``-5``, ``+3.5``) is left as it is: a spreadsheet reads it as that number and runs nothing.
Workbook cells holding text are made explicit text cells (``text_cells``), never formulas.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd
    from openpyxl.worksheet.worksheet import Worksheet

#: First characters that make a spreadsheet read a cell as a formula.
DANGEROUS_FIRST = "=+-@\t\r"
QUOTE = "'"

_WRITE = re.compile(rf"^'*[{re.escape(DANGEROUS_FIRST)}]")
_READ = re.compile(rf"^'+[{re.escape(DANGEROUS_FIRST)}]")
_FIRSTS = frozenset(DANGEROUS_FIRST + QUOTE)
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


def is_dangerous(text: str) -> bool:
    """True when a spreadsheet could take ``text`` as a formula (a plain number is not)."""
    return bool(text) and text[0] in DANGEROUS_FIRST and not _PLAIN_NUMBER.fullmatch(text)


def to_csv(text: str) -> str:
    """``text`` as a CSV cell: one apostrophe before a formula-like value (or one already quoted)."""
    if _WRITE.match(text) and not _PLAIN_NUMBER.fullmatch(text):
        return QUOTE + text
    return text


def from_csv(text: str) -> str:
    """A CSV cell as the text written: the inverse of ``to_csv``."""
    return text[1:] if _READ.match(text) else text


def csv_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells are passed through ``to_csv``; numbers stay numbers."""
    import pandas as pd
    from pandas.api.types import is_bool_dtype, is_numeric_dtype

    out = frame.copy()
    for column in out.columns:
        if is_numeric_dtype(out[column].dtype) or is_bool_dtype(out[column].dtype):
            continue
        values = out[column].to_numpy(dtype=object, na_value=None)
        quoted = [to_csv(v) if isinstance(v, str) and v[:1] in _FIRSTS else v for v in values]
        if any(a is not b for a, b in zip(quoted, values, strict=True)):
            out[column] = pd.Series(quoted, index=out.index, dtype=object)
    return out


def text_cells(sheet: Worksheet) -> None:
    """Make every cell of ``sheet`` holding a ``str`` an explicit text cell.

    openpyxl stores a ``str`` starting with ``=`` as a formula (and ``#N/A`` … as an error);
    a text cell shows and reads back the very string, and Excel or WPS never runs it.
    """
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.data_type != "s":
                cell.data_type = "s"
