"""Text normalisation before parsing: one canonical form for digits, brackets, punctuation, spaces.

Offsets everywhere in lawnb point into the normalised text this module returns.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

# Full-width ASCII letters and digits become half-width; Chinese punctuation stays full-width.
_FULLWIDTH_ALNUM = {
    **{0xFF10 + i: 0x30 + i for i in range(10)},
    **{0xFF21 + i: 0x41 + i for i in range(26)},
    **{0xFF41 + i: 0x61 + i for i in range(26)},
}
_PUNCT = str.maketrans(
    {
        "(": "（",
        ")": "）",
        "％": "%",
        "．": ".",
        "／": "/",
        "－": "-",
        "—": "—",
        "\u3000": " ",
        "\u00a0": " ",
        "\u2002": " ",
        "\u2003": " ",
        "\u2009": " ",
        "\u200b": "",
        "\ufeff": "",
        "\t": " ",
        "\r": "",
    }
)
_CJK = r"\u3400-\u9fff\uf900-\ufaff"
_CJK_PUNCT = r"，。、；：！？（）《》“”‘’【】〔〕…—"
# ASCII punctuation between (or beside) Chinese text becomes its Chinese form.
_ASCII_TO_CN = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！"}
_ASCII_PUNCT_NEAR_CJK = re.compile(
    rf"(?<=[{_CJK}{_CJK_PUNCT}\d%])\s*([,;:?!])\s*(?=[{_CJK}{_CJK_PUNCT}\d“])"
)
_SPACE_RUN = re.compile(r"[ ]+")
# A space with Chinese (or Chinese punctuation) on at least one side and a digit or Chinese
# on the other is an artefact of flattening Word documents ("2020 年", "15 个").
_STRAY_SPACE = re.compile(
    rf"(?<=[{_CJK}{_CJK_PUNCT}])[ ]+(?=[{_CJK}{_CJK_PUNCT}\d%])|(?<=[\d%])[ ]+(?=[{_CJK}{_CJK_PUNCT}])"
)


def normalize_text(text: str) -> str:
    """Return the canonical form of a report's text.

    Full-width digits and letters become half-width; brackets become full-width （）; ASCII
    commas, colons and semicolons beside Chinese become Chinese punctuation (digit groups such
    as ``1,280`` are kept); stray spaces inside Chinese text are removed; lines are stripped
    and blank lines dropped.
    """
    text = unicodedata.normalize("NFC", text).translate(_FULLWIDTH_ALNUM).translate(_PUNCT)
    text = text.replace("\u2028", "\n").replace("\u2029", "\n")

    def _punct(match: re.Match[str]) -> str:
        mark = match.group(1)
        before = match.string[match.start() - 1] if match.start() else ""
        after = match.string[match.end()] if match.end() < len(match.string) else ""
        if mark == "," and before.isdigit() and after.isdigit():
            return match.group(0)  # a thousands separator
        if mark == ":" and before.isdigit() and after.isdigit():
            return match.group(0)  # a clock time
        return _ASCII_TO_CN[mark]

    text = _pair_ascii_quotes(text)
    lines = []
    for raw in text.split("\n"):
        line = _SPACE_RUN.sub(" ", raw).strip()
        if not line:
            continue
        line = _STRAY_SPACE.sub("", line)
        line = _ASCII_PUNCT_NEAR_CJK.sub(_punct, line)
        lines.append(line)
    return "\n".join(lines)


def _pair_ascii_quotes(text: str) -> str:
    """ASCII double quotes around Chinese text become “ and ”, alternating within a line."""
    if '"' not in text:
        return text
    out = []
    for line in text.split("\n"):
        if line.count('"') % 2 == 0 and re.search(rf'"[^"]*[{_CJK}][^"]*"', line):
            parts = line.split('"')
            line = (
                "".join(p + ("“" if i % 2 == 0 else "”") for i, p in enumerate(parts[:-1]))
                + parts[-1]
            )
        out.append(line)
    return "\n".join(out)


def simplified(text: str) -> str:
    """``text`` in simplified characters, of the same length (offsets stay valid).

    Traditional characters are converted by OpenCC (``t2s``); a conversion that would change
    the length (a phrase rule) is done character by character instead.
    """
    converter = _t2s()
    converted = converter.convert(text)
    if converted == text or len(converted) == len(text):
        return converted
    chars = (converter.convert(ch) for ch in text)
    return "".join(ch if len(ch) == 1 else orig for ch, orig in zip(chars, text, strict=True))


@cache
def _t2s():  # type: ignore[no-untyped-def]
    import opencc

    return opencc.OpenCC("t2s")
