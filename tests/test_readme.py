"""Every code block of the README runs as written, in order, in a fresh copy of the repository
(the two quick-start commands excepted: CI runs them itself, .ci/run)."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from lawnb.run.params import plan_from_params
from lawnb.store.loading import load_dataset

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.M | re.S)
QUICK_START = 2  # the first two blocks
SERVERS = ("jupyter lab",)

pytestmark = pytest.mark.slow


def readme_blocks() -> list[tuple[str, str]]:
    """(language, code) of every fenced block of the README after the quick start."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return [(m.group(1), m.group(2)) for m in FENCE.finditer(text)][QUICK_START:]


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A fresh copy of the tracked files, beside ../shared, using this environment's venv."""
    base = tmp_path_factory.mktemp("readme")
    copy = base / "lawnb"
    files = (
        subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True)
        .stdout.decode()
        .split("\0")
    )
    for name in filter(None, files):
        source = ROOT / name
        if source.is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy / name)
    (copy / ".venv").mkdir()
    (copy / ".venv" / "bin").symlink_to(VENV_BIN)
    (base / "shared").symlink_to(ROOT.parent / "shared")
    return copy


def _env() -> dict[str, str]:
    env = dict(os.environ, PATH=f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    env.pop("PYTHONPATH", None)
    return env


def _serve(line: str, cwd: Path) -> None:
    """Start a server command of the README, wait until it serves, then stop it."""
    command = [*line.split("#")[0].split(), "--no-browser", "--port=0", "--ServerApp.token="]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")  # what the README says to add as root
    proc = subprocess.Popen(
        command,
        cwd=cwd,
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    seen = []
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            out = proc.stdout.readline()
            seen.append(out)
            if "is running at" in out or "http://127.0.0.1:" in out:
                return
            if out == "" and proc.poll() is not None:
                break
        pytest.fail(f"{line!r} did not start:\n{''.join(seen)[-3000:]}")
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


def _run_bash(code: str, cwd: Path) -> None:
    lines = [ln for ln in code.splitlines() if ln.strip()]
    servers = [
        ln
        for ln in lines
        if ln.strip().startswith(tuple(f"{p}" for p in SERVERS))
        or any(f"/{p}" in ln.split("#")[0] for p in SERVERS)
    ]
    for line in servers:
        _serve(line.strip(), cwd)
    rest = "\n".join(ln for ln in lines if ln not in servers)
    if rest:
        done = subprocess.run(
            ["bash", "-e", "-o", "pipefail", "-c", rest],
            cwd=cwd,
            env=_env(),
            capture_output=True,
            text=True,
            timeout=900,
        )
        assert done.returncode == 0, (
            f"{rest}\n--- stdout\n{done.stdout[-3000:]}\n--- stderr\n{done.stderr[-3000:]}"
        )


def test_the_readme_has_the_blocks_this_test_expects():
    languages = [lang for lang, _ in readme_blocks()]
    assert languages.count("bash") >= 4 and "python" in languages and "yaml" in languages


def test_every_readme_block_runs_as_written(project):
    for language, code in readme_blocks():
        if language == "bash":
            _run_bash(code, project)
        elif language == "python":
            done = subprocess.run(
                [sys.executable, "-c", code],
                cwd=project,
                env=_env(),
                capture_output=True,
                text=True,
                timeout=300,
            )
            assert done.returncode == 0, f"{code}\n{done.stderr[-3000:]}"
        elif language == "yaml":
            data = yaml.safe_load(code)
            folder = project / "readme-example" / "params"
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{data['year']}.yaml").write_text(code, encoding="utf-8")
            plan = plan_from_params(folder / f"{data['year']}.yaml", open_dataset=load_dataset)
            assert plan.reports
        else:
            pytest.fail(f"a README block without a known language: {language!r}\n{code}")
    assert (project / "outputs" / "2021" / "示例区" / "东湖镇.html").exists()
    assert (project / "data" / "示例区" / "facts.csv").exists()
