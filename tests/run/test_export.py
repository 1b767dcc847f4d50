"""Tests of lawnb.run.export: offline HTML pages, outputs only, images embedded (no kernel)."""

from __future__ import annotations

import base64
import struct
import zlib

import nbformat
import pytest
from notebook_helpers import body_of, external_urls

from lawnb.errors import RunError
from lawnb.run.export import export_html, external_resources


def tiny_png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"\x00\xff\x00\x00"  # one red pixel
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def test_export_html_outputs_only_with_embedded_images(tmp_path):
    (tmp_path / "logo.png").write_bytes(tiny_png())
    nb = nbformat.v4.new_notebook()
    nb.metadata["papermill"] = {"input_path": str(tmp_path / "source.ipynb")}
    png = base64.b64encode(tiny_png()).decode()
    code = nbformat.v4.new_code_cell(
        "secret_source_line = 42",
        outputs=[
            nbformat.v4.new_output("stream", name="stdout", text="可见的输出\n"),
            nbformat.v4.new_output("stream", name="stderr", text="FutureWarning: 隐藏\n"),
            nbformat.v4.new_output("display_data", data={"image/png": png}),
        ],
    )
    only_warning = nbformat.v4.new_code_cell(
        "noisy()", outputs=[nbformat.v4.new_output("stream", name="stderr", text="警告\n")]
    )
    hidden = nbformat.v4.new_code_cell(
        "x", outputs=[nbformat.v4.new_output("stream", name="stdout", text="被标记隐藏\n")]
    )
    hidden.metadata["tags"] = ["remove-cell"]
    nb.cells = [
        nbformat.v4.new_markdown_cell("## 图片\n\n![标志](logo.png)\n\n公式 $a+b$"),
        code,
        only_warning,
        hidden,
        nbformat.v4.new_code_cell("pass"),
    ]
    html = export_html(nb, title="测试 <标题>")
    assert "<title>测试 &lt;标题&gt;</title>" in html
    assert "可见的输出" in html and "secret_source_line" not in html
    assert "隐藏" not in html and "警告" not in html and "被标记隐藏" not in html
    body = body_of(html)
    assert body.count("jp-Cell jp-CodeCell") == 1
    assert body.count("data:image/png;base64,") == 2  # the output and the markdown image
    assert 'alt="图表"' in html and "No description" not in html
    assert external_urls(html) == []
    assert nb.cells[1].outputs[1].name == "stderr"  # the caller's notebook is not changed


def test_export_html_refuses_external_resources():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("![远程图片](https://example.com/a.png)")]
    with pytest.raises(RunError, match="外部资源"):
        export_html(nb, title="外部")
    # A link is fine: it loads nothing by itself.
    nb.cells = [nbformat.v4.new_markdown_cell("[政府网站](https://example.com/)")]
    assert "https://example.com/" in export_html(nb, title="链接")


def test_external_resources_are_loads_not_links():
    page = (
        '<img src="https://example.com/a.png"><a href="https://example.com/">链接</a>'
        '<div style="background: url(//cdn.example.com/b.png)"></div>'
        '<style>@import "http://example.com/c.css";</style><img src="data:image/png;base64,AA">'
    )
    assert external_resources(page) == [
        "https://example.com/a.png",
        "//cdn.example.com/b.png",
        "http://example.com/c.css",
    ]
    assert external_resources('<img src="figures/a.png">') == []
