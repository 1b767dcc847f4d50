"""An executed notebook as one self-contained Chinese HTML page, checked to load nothing from
the network (the pages are read on an offline intranet).

``export_html`` takes a notebook and a title and gives the page's text; ``external_resources``
lists what a page would fetch from another host. The page's look is the nbconvert template
``lawnb`` in ``TEMPLATE_DIR``; ``FONT_STACK`` is the CSS font stack of every page lawnb writes.

The template carries the page by itself (outputs only, no prompts, no stderr, tagged cells
removed through ``page_preprocessor``), so that an analyst's
``jupyter nbconvert --to html --template lawnb X.ipynb`` gives the page ``lawnb run`` gives. A
normal ``pip install`` puts the folder where nbconvert looks (``share/jupyter/nbconvert/
templates/lawnb``, pyproject's data-files); an editable install (``pip install -e .``) does not
(setuptools installs no data files in editable mode), and ``install_nbconvert_template`` links
it there.
"""

from __future__ import annotations

import copy
import logging
import re
import shutil
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lawnb.errors import RunError

if TYPE_CHECKING:
    import nbformat

log = logging.getLogger(__name__)

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


def nbconvert_template_dir(data_dir: Path | None = None) -> Path:
    """The folder where nbconvert looks for the template ``lawnb`` of this environment:
    ``<data_dir>/nbconvert/templates/lawnb``, ``data_dir`` being ``{sys.prefix}/share/jupyter``
    (where pip puts data files) unless given."""
    base = Path(sys.prefix, "share", "jupyter") if data_dir is None else Path(data_dir)
    return base / "nbconvert" / "templates" / TEMPLATE_NAME


def install_nbconvert_template(data_dir: Path | None = None) -> Path:
    """Make ``jupyter nbconvert --template lawnb`` find lawnb's template; give its folder.

    A folder already there (the copy a normal ``pip install`` made) is left alone. Otherwise the
    folder becomes a link to ``TEMPLATE_DIR / "lawnb"``, so that an editable install's template
    is the one in the working tree (a copy where links are not allowed); a link to another
    checkout, or to nothing, is replaced. Raises ``RunError`` when the folder cannot be written.
    """
    source = (TEMPLATE_DIR / TEMPLATE_NAME).resolve()
    target = nbconvert_template_dir(data_dir)
    try:
        if target.is_symlink():
            if target.resolve() == source:
                return target
            target.unlink()
        elif target.exists():
            return target
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            target.symlink_to(source, target_is_directory=True)
        except OSError:
            shutil.copytree(source, target)
    except OSError as exc:
        raise RunError(
            f"无法把 nbconvert 模板 lawnb 安装到 {target}：{exc.strerror or exc}。"
            "请以安装 lawnb 的用户运行，或检查该文件夹的写权限。"
        ) from exc
    log.info("nbconvert template lawnb: %s -> %s", target, source)
    return target


def page_preprocessor(**_options: Any) -> Any:
    """The preprocessor the ``lawnb`` template's conf.json names (nbconvert calls this with the
    options given there and runs what it returns on its copy of each notebook): ``prepare_page``."""
    return prepare_page


def prepare_page(
    nb: nbformat.NotebookNode, resources: dict[str, Any]
) -> tuple[nbformat.NotebookNode, dict[str, Any]]:
    """Drop stderr streams (warnings) and the cells/outputs tagged for removal, in place."""
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
    return nb, resources


_EXPORTERS = threading.local()


def _html_exporter() -> Any:
    """This thread's HTMLExporter, made once: making one loads and compiles the templates."""
    exporter = getattr(_EXPORTERS, "html", None)
    if exporter is None:
        from nbconvert import HTMLExporter

        # The template hides code, prompts and warnings itself (the page is the same from
        # `jupyter nbconvert --template lawnb`); what it cannot set: local markdown images as
        # data: URIs. (Heading anchor links stay, hidden by the CSS, as from nbconvert.)
        exporter = HTMLExporter(
            extra_template_basedirs=[str(TEMPLATE_DIR)],
            template_name=TEMPLATE_NAME,
            embed_images=True,
        )
        _EXPORTERS.html = exporter
    return exporter


def export_html(nb: nbformat.NotebookNode, *, title: str) -> str:
    """Render an executed notebook as one self-contained Chinese HTML page.

    Outputs only (no code, no prompts, no stderr), ``<html lang="zh">``, the given ``<title>``,
    CJK fonts and A4 print styles; figures and local markdown images are embedded as data:
    URIs. Raises ``RunError`` if the page would still load something from the network.
    """
    prepared = copy.copy(nb)  # the exporter works on its own deep copy
    prepared["metadata"] = type(nb.metadata)({**nb.metadata, "title": title})
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
