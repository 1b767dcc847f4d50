"""Helpers of the run tests: notebooks written by the test, and what to look for in a page."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat

# src=/href= to another host (http://, https:// or protocol-relative //), CSS url() and @import.
EXTERNAL = re.compile(
    r"""(?:\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?//)"""
    r"""|(?:url\(\s*["']?\s*(?:https?:)?//)"""
    r"""|(?:@import\s+(?:url\()?\s*["']?\s*(?:https?:)?//)""",
    re.IGNORECASE,
)

PARAMS_CELL = ("tags", 'unit: str = "示例单位"  # 单位\nyear: int = 1999  # 年度', ["parameters"])


def external_urls(html: str) -> list[str]:
    return [html[m.start() : m.end() + 60] for m in EXTERNAL.finditer(html)]


def body_of(html: str) -> str:
    """The page after </head>: what the reader sees (the inlined CSS names many classes)."""
    return html.split("</head>", 1)[1]


def write_notebook(path: Path, cells: list, *, kernel: str = "python3") -> Path:
    """Write a notebook: str = code cell, ("md", text) = markdown, ("tags", src, [..]) = tagged."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": kernel, "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    for cell in cells:
        if isinstance(cell, str):
            nb.cells.append(nbformat.v4.new_code_cell(cell))
        elif cell[0] == "md":
            nb.cells.append(nbformat.v4.new_markdown_cell(cell[1]))
        else:
            code = nbformat.v4.new_code_cell(cell[1])
            code.metadata["tags"] = list(cell[2])
            nb.cells.append(code)
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


def leftovers(root: Path) -> list[Path]:
    """Temp files the atomic writer could have left behind."""
    return [p for p in root.rglob("*") if p.name.endswith(".tmp") or p.name.startswith(".")]
