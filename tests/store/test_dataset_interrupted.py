"""An import killed (SIGKILL) mid-way leaves the old dataset or the new one, never a mix.

``lawnb import`` of several fictional reports runs in a subprocess that announces each step of
the save (every table written, the extras copied, the manifest, the folder swap, the clean-up).
Each run is killed at one step, by itself with SIGKILL, or by the test after a random delay;
the dataset folder is then compared, table by table, with the two states it may be in.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time

import pytest
from dataset_helpers import demo_report, table_bytes

from lawnb.store.importing.reports import import_reports
from lawnb.store.loading import load_dataset

pytestmark = [
    pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX"),
    pytest.mark.slow,  # a subprocess killed at every step of a save
]

# Runs `lawnb import` with every save step announced ("STEP n name") and slowed by PAUSE
# seconds; with KILL_AT=n the process sends itself SIGKILL just before step n.
SCRIPT = r"""
import os, shutil, signal, sys, time
import lawnb.store.importing.reports as importing
import lawnb.store.loading as loading
import lawnb.store.staging as staging
from lawnb.cli import main

pause = float(os.environ.get("PAUSE", "0"))
kill_at = int(os.environ.get("KILL_AT", "-1"))
steps = [0]

def announced(name, fn):
    def step(*args, **kwargs):
        steps[0] += 1
        print(f"STEP {steps[0]} {name}", flush=True)
        if steps[0] == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)
        time.sleep(pause)
        return fn(*args, **kwargs)
    return step

importing.replace_folder = announced("save", importing.replace_folder)
importing.write_table = announced("write_table", importing.write_table)
loading.read_tables = announced("validate", loading.read_tables)
staging.copy_extras = announced("copy_extras", staging.copy_extras)
staging.write_manifest = announced("write_manifest", staging.write_manifest)
if os.environ.get("NO_EXCHANGE"):
    staging.exchange = lambda a, b: False
staging.exchange = announced("exchange", staging.exchange)
os.replace = announced("replace", os.replace)
shutil.rmtree = announced("rmtree", shutil.rmtree)
sys.exit(main(sys.argv[1:]))
"""

OLD = [("东湖镇", 2021), ("西山镇", 2021)]
NEW = [("东湖镇", 2022), ("西山镇", 2022), ("南岭乡", 2022)]


def _state(folder):
    """What identifies a dataset folder's content: its tables, manual.csv, imported reports."""
    import json

    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    return table_bytes(folder), sorted(e["report_id"] for e in manifest["imports"])


@pytest.fixture(scope="module")
def states(tmp_path_factory):
    """The dataset before the import (with an analyst's manual.csv) and after it."""
    base = tmp_path_factory.mktemp("states")
    old = base / "old"
    import_reports([demo_report(*r) for r in OLD], old)
    facts = load_dataset(old).facts
    (old / "manual.csv").write_text(
        "report_id,fact_id,value,action,reason\n"
        f"示例区/东湖镇/2021,{facts['fact_id'].iloc[0]},1,edit,核对原件\n",
        encoding="utf-8-sig",
    )
    new = base / "new"
    shutil.copytree(old, new)
    import_reports([demo_report(*r) for r in NEW], new)
    assert _state(old) != _state(new)
    return old, _state(old), _state(new)


def _start(states, tmp_path, name, **env):
    old, _, _ = states
    folder = tmp_path / name / "ds"
    shutil.copytree(old, folder)
    files = [str(demo_report(*r)) for r in NEW]
    command = [sys.executable, "-c", SCRIPT, "import", *files, "--dataset", str(folder)]
    environment = {**os.environ, **{k: str(v) for k, v in env.items()}}
    process = subprocess.Popen(
        [*command, "--no-progress"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=environment,
    )
    return folder, process


def _steps(states, tmp_path, **env):
    """The save steps of an import that runs to the end."""
    folder, process = _start(states, tmp_path, "full", **env)
    out, _ = process.communicate(timeout=120)
    assert process.returncode == 0, out
    assert _state(folder) == states[2]
    return [line for line in out.splitlines() if line.startswith("STEP ")]


def _assert_old_or_new(states, folder):
    _, old, new = states
    state = _state(folder)
    assert state in (old, new), "the dataset folder is a mix of the old and the new one"
    return "old" if state == old else "new"


def _kill_points(steps, after):
    """Step numbers to kill at: each step from the first named ``after`` on, once per run of
    the same step (three tables written in a row count once), up to the end of the save."""
    names = [line.split()[2] for line in steps]
    first = names.index(after)
    last = len(names) - 1 - names[::-1].index("rmtree")  # the swap's clean-up ends the save
    return [n + 1 for n in range(first, last + 1) if n == first or names[n] != names[n - 1]]


def _run_killed_at_each_step(states, tmp_path, after, **env):
    steps = _steps(states, tmp_path, **env)
    assert any("exchange" in s or "replace" in s for s in steps)
    processes = [
        (steps[n - 1], *_start(states, tmp_path, f"kill{n}", KILL_AT=n, **env))
        for n in _kill_points(steps, after)
    ]
    seen = []
    for step, folder, process in processes:
        process.wait(timeout=120)
        assert process.returncode == -signal.SIGKILL, step
        if "NO_EXCHANGE" not in env:  # one atomic exchange: the folder itself is never a mix
            _assert_old_or_new(states, folder)
        load_dataset(folder)  # a reader recovers what a stop between two renames left
        seen.append(_assert_old_or_new(states, folder))
        assert load_dataset(folder).unapplied_corrections.empty
    return seen


def test_killed_at_every_step_of_the_save_leaves_old_or_new(states, tmp_path):
    seen = _run_killed_at_each_step(states, tmp_path, after="save")
    assert seen[0] == "old" and seen[-1] == "new"  # both sides of the swap were hit


def test_killed_at_every_step_without_atomic_exchange(states, tmp_path):
    seen = _run_killed_at_each_step(states, tmp_path, after="write_manifest", NO_EXCHANGE=1)
    assert seen[0] == "old" and seen[-1] == "new"


def test_killed_at_random_times_leaves_old_or_new(states, tmp_path):
    rng = random.Random(20240501)
    started = time.monotonic()
    _steps(states, tmp_path, PAUSE=0.05)
    duration = time.monotonic() - started
    for n in range(3):
        folder, process = _start(states, tmp_path, f"random{n}", PAUSE=0.05)
        time.sleep(rng.uniform(0.3, duration))
        process.kill()
        process.wait(timeout=60)
        load_dataset(folder)
        _assert_old_or_new(states, folder)
        # the next import completes the job
        import_reports([demo_report(*r) for r in NEW], folder)
        assert _state(folder)[0] == states[2][0]
