"""Helpers of the run tests: notebooks written by the test, and what to look for in a page."""

from __future__ import annotations

import os
import re
import uuid
from pathlib import Path

import nbformat

# src=/href= to another host (http://, https:// or protocol-relative //), CSS url() and @import.
EXTERNAL = re.compile(
    r"""(?:\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?//)"""
    r"""|(?:url\(\s*["']?\s*(?:https?:)?//)"""
    r"""|(?:@import\s+(?:url\()?\s*["']?\s*(?:https?:)?//)""",
    re.IGNORECASE,
)

# Set in a test's environment before its batch starts: every worker and kernel of the batch
# inherits it, and no other process on the machine has it (see ``batch_kernels``).
BATCH_VARIABLE = "LAWNB_TEST_BATCH"

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


def mark_batch(monkeypatch) -> str:  # type: ignore[no-untyped-def]
    """Give the processes this test is about to start a mark of their own; return it."""
    marker = uuid.uuid4().hex
    monkeypatch.setenv(BATCH_VARIABLE, marker)
    return marker


def batch_kernels(marker: str) -> set[int]:
    """The running ipykernel processes that carry ``marker`` in their environment (Linux: read
    from /proc): the kernels this test's batch started, wherever they run and whichever process
    is their parent now. Kernels of other runs on the machine (a notebook open in JupyterLab,
    a papermill or ``lawnb run`` in another folder, another test) are not counted."""
    mark = f"{BATCH_VARIABLE}={marker}".encode()
    pids = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            command = (entry / "cmdline").read_bytes()  # empty for a zombie: not running
            environment = (entry / "environ").read_bytes()
        except OSError:  # gone, or another user's
            continue
        if b"ipykernel_launcher" in command and mark in environment.split(b"\0"):
            pids.add(int(entry.name))
    return pids
