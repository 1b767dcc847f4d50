"""The project's files: dependency lists that agree, clean notebooks, no report text in the repo."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib

import yaml

_NAME = re.compile(r"^\s*([A-Za-z0-9_.\-]+)")


def _names(requirements) -> set[str]:
    return {
        _NAME.match(r).group(1).lower().replace("_", "-")
        for r in requirements
        if not r.startswith("-e")
    }


def test_environment_yml_lists_the_same_dependencies_as_pyproject(repo_root):
    project = tomllib.loads((repo_root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = _names(project["dependencies"]) | _names(project["optional-dependencies"]["test"])
    env = yaml.safe_load((repo_root / "environment.yml").read_text(encoding="utf-8"))
    conda, pip = [], []
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            pip.extend(dep["pip"])
        else:
            conda.append(dep)
    listed = _names(conda) | _names(pip)
    listed -= {"python", "pip"}
    assert listed == wanted, (
        f"only in environment.yml: {listed - wanted}; only in pyproject: {wanted - listed}"
    )
    assert "conda-forge" in env["channels"]
    assert any(str(d).startswith("python=3.11") for d in conda)


def test_notebooks_are_committed_without_outputs(repo_root):
    notebooks = sorted((repo_root / "notebooks").glob("*.ipynb"))
    assert notebooks
    for path in notebooks:
        nb = json.loads(path.read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            if cell["cell_type"] == "code":
                assert cell["outputs"] == [] and cell["execution_count"] is None, path.name


def test_parameters_cell_is_tagged_typed_and_commented(repo_root):
    nb = json.loads((repo_root / "notebooks" / "annual_report.ipynb").read_text(encoding="utf-8"))
    cells = [c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(cells) == 1
    lines = [line for line in "".join(cells[0]["source"]).splitlines() if line.strip()]
    assert {line.split(":")[0] for line in lines} == {"unit", "year", "dataset", "district"}
    for line in lines:
        assert re.match(r"^\w+: (str|int) = .+  # \S", line), line


def test_papermill_help_notebook_documents_every_parameter(repo_root):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "papermill",
            "--help-notebook",
            str(repo_root / "notebooks" / "annual_report.ipynb"),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    for name, kind in (("unit", "str"), ("year", "int"), ("dataset", "str")):
        line = next(
            line for line in result.stdout.splitlines() if line.strip().startswith(name + ":")
        )
        assert kind in line and "(default" in line
        assert re.search(r"[\u4e00-\u9fff]", line), f"{name} has no description: {line}"


def test_no_sentence_of_the_founding_report_is_in_the_repository(repo_root, founding_report):
    # Paragraphs only: the title and the headings are short labels that the sample may keep.
    paragraphs = [
        line
        for line in founding_report.read_text(encoding="utf-8").splitlines()
        if len(line.strip()) > 40
    ]
    sentences = {
        s.strip() for p in paragraphs for s in re.split(r"[。；，]", p) if len(s.strip()) >= 14
    }
    tracked = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=repo_root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\n")
    for name in filter(None, tracked):
        path = repo_root / name
        if not path.is_file() or path.stat().st_size > 5_000_000:
            continue
        content = path.read_bytes().decode("utf-8", errors="ignore")
        leaked = [s for s in sentences if s in content]
        assert not leaked, f"{name} holds text of the founding report: {leaked[:2]}"


def test_code_is_formatted_and_lint_clean(repo_root):
    ruff = [sys.executable, "-m", "ruff"]
    lint = subprocess.run(
        [*ruff, "check", "."], cwd=repo_root, capture_output=True, text=True, check=False
    )
    assert lint.returncode == 0, lint.stdout + lint.stderr
    fmt = subprocess.run(
        [*ruff, "format", "--check", "."],
        cwd=repo_root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert fmt.returncode == 0, fmt.stdout + fmt.stderr


def test_every_public_name_resolves():
    import lawnb

    for name in lawnb.__all__:
        assert getattr(lawnb, name) is not None, name
