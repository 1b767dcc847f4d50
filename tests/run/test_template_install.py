"""The page template installed for nbconvert: ``jupyter nbconvert --to html --template lawnb``
gives the offline page ``lawnb run`` gives (issue 16).

The nbconvert runs look in a Jupyter data folder of their own (``JUPYTER_PATH``) where
``install_nbconvert_template`` linked the template, as it does for an editable install; the
first test checks that a normal install (pyproject's data-files) puts the same files where
nbconvert looks. The notebook is executed for real (a kernel), its text is our own and fictional.
"""

from __future__ import annotations

import glob
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import nbformat
import pytest
from browser import OfflineChromium, require_chromium  # tests/browser.py

from lawnb.run.export import (
    TEMPLATE_DIR,
    export_html,
    external_resources,
    install_nbconvert_template,
    nbconvert_template_dir,
    page_css,
)

INSTALLED = Path("share", "jupyter", "nbconvert", "templates", "lawnb")
JUPYTER = Path(sys.executable).with_name("jupyter")
STEM = "report"

CELLS = [
    ("md", "# 示例区2099年法治政府建设情况（虚构）\n\n行内公式 $a+b$ 照样显示，不必联网。"),
    ("code", 'unit = "示例单位"'),
    (
        "code",
        'import pandas as pd\npd.DataFrame({"指标": ["行政复议", "行政诉讼"], "件数": [12, 5]})',
    ),
    (
        "code",
        "import warnings\n"
        'warnings.warn("这条警告不应出现在页面上")\n'
        'print(f"{unit}全年办理行政复议案件12件。")',
    ),
    (
        "code",
        "import matplotlib.pyplot as plt\n"
        "fig, ax = plt.subplots(figsize=(3, 2), dpi=80)\n"
        'ax.bar(["a", "b"], [12, 5], color="#3b6ea8")\n'
        "plt.show()",
    ),
    ("remove-cell", 'print("被标记隐藏的输出")'),
    ("remove-output", 'print("被隐藏输出的单元格")'),
    ("code", "secret_source_line = 42"),
]


@pytest.fixture(scope="module")
def executed(tmp_path_factory) -> Path:
    """A small notebook, executed by a real kernel and saved with its outputs."""
    from nbclient import NotebookClient

    root = tmp_path_factory.mktemp("template")
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    for kind, source in CELLS:
        if kind == "md":
            nb.cells.append(nbformat.v4.new_markdown_cell(source))
        else:
            cell = nbformat.v4.new_code_cell(source)
            if kind != "code":
                cell.metadata["tags"] = [kind]
            nb.cells.append(cell)
    NotebookClient(nb, timeout=120, resources={"metadata": {"path": str(root)}}).execute()
    assert any(o.get("name") == "stderr" for o in nb.cells[3].outputs)  # the warning is there
    path = root / f"{STEM}.ipynb"
    nbformat.write(nb, path)
    return path


@pytest.fixture(scope="module")
def jupyter_path(tmp_path_factory) -> Path:
    """A Jupyter data folder (first on ``JUPYTER_PATH``) with the template linked as lawnb does."""
    data = tmp_path_factory.mktemp("jupyter-data")
    install_nbconvert_template(data)
    return data


def nbconvert(notebook: Path, out: Path, *args: str, cwd: Path, jupyter_path: Path) -> str:
    """Run the venv's ``jupyter nbconvert --to html ARGS notebook`` and give the page."""
    env = {**os.environ, "JUPYTER_PATH": str(jupyter_path)}
    result = subprocess.run(
        [str(JUPYTER), "nbconvert", "--to", "html", *args, str(notebook), "--output-dir", str(out)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return (out / f"{notebook.stem}.html").read_text(encoding="utf-8")


def test_pip_installs_the_template_where_nbconvert_looks(repo_root):
    """pyproject's data-files put every file of the template folder under
    share/jupyter/nbconvert/templates/lawnb (what a normal, non-editable install does)."""
    tool = tomllib.loads((repo_root / "pyproject.toml").read_text(encoding="utf-8"))["tool"]
    data_files = tool["setuptools"].get("data-files", {})
    installed = {
        Path(dest) / Path(name).name
        for dest, patterns in data_files.items()
        for pattern in patterns
        for name in glob.glob(pattern, root_dir=repo_root)
    }
    source = TEMPLATE_DIR / "lawnb"
    wanted = {INSTALLED / p.relative_to(source) for p in source.rglob("*") if p.is_file()}
    assert installed == wanted, (
        f"pyproject.toml [tool.setuptools.data-files] misses {sorted(map(str, wanted - installed))}"
        f" or adds {sorted(map(str, installed - wanted))}"
    )


def test_install_links_the_template_once(tmp_path):
    source = (TEMPLATE_DIR / "lawnb").resolve()
    target = install_nbconvert_template(tmp_path)
    assert target == nbconvert_template_dir(tmp_path) == tmp_path / "nbconvert/templates/lawnb"
    assert target.is_symlink() and target.resolve() == source
    assert install_nbconvert_template(tmp_path) == target  # a second time: nothing to do
    target.unlink()
    target.symlink_to(tmp_path / "gone", target_is_directory=True)  # an uninstalled checkout
    assert install_nbconvert_template(tmp_path).resolve() == source
    target.unlink()
    target.mkdir()  # the copy a normal pip install made: left alone
    (target / "conf.json").write_text("{}", encoding="utf-8")
    assert install_nbconvert_template(tmp_path) == target
    assert not target.is_symlink() and (target / "conf.json").read_text(encoding="utf-8") == "{}"


@pytest.mark.notebook
@pytest.mark.parametrize("where", ["elsewhere", "repository root"])
def test_nbconvert_template_lawnb_gives_the_lawnb_run_page(
    executed, jupyter_path, repo_root, tmp_path, where
):
    # From the repository root, nbconvert also takes ./lawnb (the package) for a template folder.
    cwd = repo_root if where == "repository root" else tmp_path
    html = nbconvert(executed, tmp_path, "--template", "lawnb", cwd=cwd, jupyter_path=jupyter_path)
    assert external_resources(html) == []
    assert page_css().strip() in html  # lawnb's stylesheet, inlined
    assert '<html lang="zh">' in html and 'class="jp-Notebook lawnb-report"' in html
    assert "<script" not in html  # no require.js, MathJax or widget scripts
    assert "全年办理行政复议案件12件" in html and "行政诉讼" in html
    body = html.split("</head>", 1)[1]  # what the reader sees (the CSS names many classes)
    assert body.count("data:image/png;base64,") == 1  # the chart, embedded
    hidden = ["secret_source_line", "In&nbsp;[", "Out[", "这条警告", "被标记隐藏", "被隐藏输出"]
    assert [text for text in hidden if text in body] == []
    # The very page lawnb run writes for this notebook.
    assert html == export_html(nbformat.read(executed, as_version=4), title=STEM)


@pytest.mark.notebook
@pytest.mark.browser
def test_nbconvert_template_lawnb_page_loads_nothing_in_a_browser(executed, jupyter_path, tmp_path):
    executable = require_chromium()
    page = tmp_path / "lawnb"
    nbconvert(executed, page, "--template", "lawnb", cwd=tmp_path, jupyter_path=jupyter_path)
    plain = tmp_path / "plain"  # the control: the analyst's usual command reaches a CDN
    nbconvert(executed, plain, "--no-input", cwd=tmp_path, jupyter_path=jupyter_path)
    with OfflineChromium(executable) as browser:
        visit = browser.visit(page / f"{STEM}.html")
        problems = browser.layout_problems(page / f"{STEM}.html")
        control = browser.visit(plain / f"{STEM}.html")
    assert visit.requests[:1] == [visit.url]
    assert visit.outside_requests == []
    assert visit.failed_requests == []
    assert visit.page_errors == [] and visit.console_errors == []
    assert problems == []
    assert any("require" in url or "mathjax" in url.lower() for url in control.outside_requests)
