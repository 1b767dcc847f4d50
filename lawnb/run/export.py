"""An executed notebook as one self-contained Chinese HTML page, checked to load nothing from
the network (the pages are read on an offline intranet).

``export_html`` takes a notebook and a title and gives the page's text; ``external_resources``
lists what a page would fetch from another host. The page's look is the nbconvert template
``lawnb`` in ``TEMPLATE_DIR``; ``FONT_STACK`` is the CSS font stack of every page lawnb writes.
"""

from __future__ import annotations

import copy
import re
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lawnb.errors import RunError

if TYPE_CHECKING:
    import nbformat

#: Folder holding the nbconvert template ``lawnb`` (it extends JupyterLab's ``lab``).
TEMPLATE_DIR = Path(__file__).resolve().parents[1] / "templates"
TEMPLATE_NAME = "lawnb"
#: The CSS font stack of every page lawnb writes.
FONT_STACK = (
    '"Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "Source Han Sans SC", '
    '"WenQuanYi Micro Hei", sans-serif'
)

# Cells with these tags (or outputs) do not appear in the HTML.
_REMOVE_CELL_TAGS = frozenset({"remove-cell", "remove_cell"})
_REMOVE_OUTPUT_TAGS = frozenset({"remove-output", "remove_output"})

# Anything the browser would load by itself from another host: src=/data= of embedded
# elements, <link href>, CSS url() and @import. A plain <a href> is a link, not a load.
_EXTERNAL_LOAD = re.compile(
    r"""<(?:script|img|link|iframe|frame|source|video|audio|embed|object|track|input)\b"""
    r"""[^>]*?\b(?:src|href|data|srcset|poster)\s*=\s*["']?\s*((?:https?:)?//[^"'\s>]*)"""
    r"""|url\(\s*["']?\s*((?:https?:)?//[^"')\s]*)"""
    r"""|@import\s+["']\s*((?:https?:)?//[^"'\s]*)""",
    re.IGNORECASE,
)


def page_css() -> str:
    """The stylesheet of the ``lawnb`` template (the index page inlines it too)."""
    return (TEMPLATE_DIR / TEMPLATE_NAME / "static" / "lawnb.css").read_text(encoding="utf-8")


def external_resources(html: str) -> list[str]:
    """URLs in ``html`` that a browser would fetch from another host (empty when offline-safe)."""
    return [
        next(group for group in match.groups() if group) for match in _EXTERNAL_LOAD.finditer(html)
    ]


def _prepare_for_html(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy without stderr streams (warnings) and without cells/outputs tagged for removal."""
    nb = copy.deepcopy(nb)
    cells = []
    for cell in nb.cells:
        tags = set(cell.get("metadata", {}).get("tags", []))
        if tags & _REMOVE_CELL_TAGS:
            continue
        if cell.cell_type == "code":
            if tags & _REMOVE_OUTPUT_TAGS:
                cell.outputs = []
            else:
                cell.outputs = [
                    output
                    for output in cell.get("outputs", [])
                    if not (
                        output.get("output_type") == "stream" and output.get("name") == "stderr"
                    )
                ]
        cells.append(cell)
    nb.cells = cells
    return nb


_EXPORTERS = threading.local()


def _html_exporter() -> Any:
    """This thread's HTMLExporter, made once: making one loads and compiles the templates."""
    exporter = getattr(_EXPORTERS, "html", None)
    if exporter is None:
        from nbconvert import HTMLExporter

        exporter = HTMLExporter(
            extra_template_basedirs=[str(TEMPLATE_DIR)],
            template_name=TEMPLATE_NAME,
            exclude_input=True,
            exclude_input_prompt=True,
            exclude_output_prompt=True,
            embed_images=True,
            exclude_anchor_links=True,
            language_code="zh",
        )
        _EXPORTERS.html = exporter
    return exporter


def export_html(nb: nbformat.NotebookNode, *, title: str) -> str:
    """Render an executed notebook as one self-contained Chinese HTML page.

    Outputs only (no code, no prompts, no stderr), ``<html lang="zh">``, the given ``<title>``,
    CJK fonts and A4 print styles; figures and local markdown images are embedded as data:
    URIs. Raises ``RunError`` if the page would still load something from the network.
    """
    prepared = _prepare_for_html(nb)
    prepared.metadata["title"] = title
    input_path = nb.metadata.get("papermill", {}).get("input_path")
    base = str(Path(input_path).resolve().parent) if input_path else ""
    exporter = _html_exporter()
    try:
        body, _ = exporter.from_notebook_node(
            prepared, resources={"metadata": {"name": title, "path": base}}
        )
    except Exception as exc:
        raise RunError(f"导出 HTML 失败（{title}）：{type(exc).__name__}: {exc}") from exc
    external = external_resources(body)
    if external:
        shown = "、".join(sorted(set(external))[:3])
        raise RunError(
            f"HTML（{title}）引用了外部资源 {shown}：内网无法访问。"
            "请改用本地文件或嵌入的图片，不要引用网络上的图片、脚本或样式。"
        )
    return body
