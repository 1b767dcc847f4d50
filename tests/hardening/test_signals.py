"""``lawnb run`` stopped from outside leaves nothing running; a notebook's output is bounded.

Each test starts ``lawnb run`` as a subprocess with a mark in its environment that every
worker, kernel and kernel child inherits (and no other process on the machine has: a
papermill or ``lawnb run`` elsewhere is not counted, nor touched). The processes are collected
before the signal; afterwards none of them may be alive. Whatever a test finds alive is
killed at its end, so that a failing test leaves nothing behind either.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import nbformat
import pytest

pytestmark = [
    pytest.mark.slow,
    pytest.mark.notebook,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc"),
]

#: The mark's name in the environment of every process a test's ``lawnb run`` starts.
BATCH_VARIABLE = "LAWNB_TEST_BATCH"
PARAMS_CELL = (
    'unit: str = "示例单位"  # 单位\nyear: int = 1999  # 年度\ndataset: str = "demo"  # 数据集'
)
UNITS = ["东湖镇", "北城街道", "南岭乡"]
# The kernel starts a child of its own (a process the notebook started), and sleeps.
SLEEPER = [
    PARAMS_CELL,
    "import subprocess, sys, time\n"
    "child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)'])\n"
    "time.sleep(600)",
]


def write_notebook(path: Path, cells: list[str]) -> Path:
    """A notebook of code cells; the first is the ``parameters`` cell."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.cells = [nbformat.v4.new_code_cell(source) for source in cells]
    nb.cells[0].metadata["tags"] = ["parameters"]
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


def _marked(mark: str) -> dict[int, str]:
    """The live processes carrying ``mark`` in their environment: pid → command line."""
    wanted = f"{BATCH_VARIABLE}={mark}".encode()
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes()  # empty for a zombie: not running
            environment = (entry / "environ").read_bytes()
        except OSError:
            continue
        if command and wanted in environment.split(b"\0"):
            found[int(entry.name)] = command.replace(b"\0", b" ").decode(errors="replace")
    return found


def _alive(pids: dict[int, str]) -> dict[int, str]:
    """Those of ``pids`` still running (a zombie is not: it only waits to be reaped)."""
    alive = {}
    for pid, command in pids.items():
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue
        if state not in ("Z", "X"):
            alive[pid] = command
    return alive


def _kernels(processes: dict[int, str]) -> list[int]:
    return [pid for pid, command in processes.items() if "ipykernel_launcher" in command]


def _start(tmp_path: Path, cells: list, *, units: list[str], args: list[str], nohup: bool = False):  # type: ignore[no-untyped-def]
    notebooks = tmp_path / "notebooks"
    write_notebook(notebooks / "annual_report.ipynb", cells)
    params = tmp_path / "params" / "2022.yaml"
    params.parent.mkdir()
    params.write_text(
        f"year: 2022\ndataset: demo\nunits: [{', '.join(units)}]\nnotebooks: [annual_report]\n",
        encoding="utf-8",
    )
    mark = uuid.uuid4().hex
    env = {**os.environ, BATCH_VARIABLE: mark, "PYTHONUNBUFFERED": "1"}
    command = [sys.executable, "-m", "lawnb.cli", "run", "--params", str(params)]
    command += ["--notebooks-dir", str(notebooks), "--outputs", str(tmp_path / "outputs")]
    command += ["--no-progress", *args]
    process = subprocess.Popen(
        command,
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # a signal to the test's terminal does not reach it
        preexec_fn=(lambda: signal.signal(signal.SIGHUP, signal.SIG_IGN)) if nohup else None,
    )
    return process, mark


def _wait_for_kernels(  # type: ignore[no-untyped-def]
    mark: str, count: int, process: subprocess.Popen, seconds: float = 120, spares: int = 0
):
    """The marked processes once ``count`` notebooks run (kernel and child up) and ``spares``
    more kernels are started."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        processes = _marked(mark)
        # each kernel has started its sleeping child: the notebook is running
        children = [c for c in processes.values() if "time.sleep(600)" in c]
        if len(_kernels(processes)) >= count + spares and len(children) >= count:
            return processes
        time.sleep(0.3)
    raise AssertionError(f"the kernels did not start: {_marked(mark)}")


def _gone_within(processes: dict[int, str], seconds: float) -> dict[int, str]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not _alive(processes):
            return {}
        time.sleep(0.2)
    return _alive(processes)


def _clean_up(process: subprocess.Popen, mark: str) -> None:  # type: ignore[type-arg]
    for pid in [process.pid, *_marked(mark)]:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.communicate(timeout=10)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_a_signal_stops_every_worker_kernel_and_kernel_child(tmp_path, signum):
    # two workers; the first also starts the next notebook's kernel ahead (a spare)
    process, mark = _start(tmp_path, SLEEPER, units=UNITS, args=["--jobs", "2"])
    try:
        started = _wait_for_kernels(mark, 2, process, spares=1)  # the next one's, started ahead
        started[process.pid] = "lawnb run"

        process.send_signal(signum)
        left = _gone_within(started, 5.0)
        assert left == {}, f"alive 5 s after {signal.Signals(signum).name}: {left}"
        _, err = process.communicate(timeout=5)
        assert process.returncode == 128 + signum
        assert "已停止" in err and signal.Signals(signum).name in err, err
        assert not list((tmp_path / "outputs").rglob("*.html"))  # no page written half-way
    finally:
        _clean_up(process, mark)


def test_under_nohup_sighup_is_ignored_and_sigterm_still_stops_everything(tmp_path):
    process, mark = _start(tmp_path, SLEEPER, units=UNITS[:1], args=["--jobs", "1"], nohup=True)
    try:
        started = _wait_for_kernels(mark, 1, process)
        started[process.pid] = "lawnb run"
        process.send_signal(signal.SIGHUP)
        time.sleep(2.0)
        assert _alive(started) == started  # ignored, as nohup asked
        process.terminate()
        assert _gone_within(started, 5.0) == {}
        assert process.wait(timeout=5) == 143
    finally:
        _clean_up(process, mark)


def test_workers_and_kernels_die_with_a_killed_lawnb_run(tmp_path):
    process, mark = _start(tmp_path, SLEEPER, units=UNITS, args=["--jobs", "2"])
    try:
        started = _wait_for_kernels(mark, 2, process, spares=1)

        process.kill()  # no handler runs: the workers must notice on their own
        process.wait(timeout=5)
        left = _gone_within(started, 10.0)
        assert left == {}, f"alive 10 s after SIGKILL of lawnb run: {left}"
    finally:
        _clean_up(process, mark)


def _run_to_end(tmp_path: Path, cells: list, *, units: list[str], args: list[str]):  # type: ignore[no-untyped-def]
    """Run ``lawnb run`` to its end (at most 300 s); kill what it leaves. (result, seconds)."""
    process, mark = _start(tmp_path, cells, units=units, args=args)
    started = time.monotonic()
    try:
        out, err = process.communicate(timeout=300)
    finally:
        _clean_up(process, mark)
    return subprocess.CompletedProcess(process.args, process.returncode, out, err), (
        time.monotonic() - started
    )


def test_a_notebook_flooding_its_output_fails_and_the_batch_goes_on(tmp_path):
    """The output cap, not the 600 s timeout, stops it; the other notebook still runs."""
    flood = "if unit == '东湖镇':\n    while True:\n        print('x' * 10000)"
    cells = [PARAMS_CELL, "print('before')", flood]
    result, seconds = _run_to_end(
        tmp_path, cells, units=UNITS[:2], args=["--jobs", "1", "--timeout", "600"]
    )
    assert result.returncode == 1, result.stderr
    assert seconds < 300
    assert "第 3 个代码单元" in result.stderr and "输出超过" in result.stderr, result.stderr
    pages = tmp_path / "outputs" / "2022" / "示例区"
    assert not (pages / "东湖镇.html").exists()
    assert (pages / "北城街道.html").is_file()  # the batch went on
    executed = pages / "东湖镇.ipynb"
    assert executed.stat().st_size < 1024 * 1024  # the flood is not kept in the notebook
    assert "输出超过" in executed.read_text(encoding="utf-8")


def test_the_timeout_stops_a_cell_that_floods_its_output(tmp_path):
    """A flood of small messages (one per print), far below the output cap in 5 s."""
    flood = "while True:\n    print('x' * 10, flush=True)"
    result, seconds = _run_to_end(
        tmp_path, [PARAMS_CELL, flood], units=UNITS[:1], args=["--jobs", "1", "--timeout", "5"]
    )
    assert result.returncode == 1, result.stderr
    assert "超时" in result.stderr, result.stderr
    assert seconds < 60


def test_the_output_cap_counts_what_the_notebook_keeps(tmp_path, monkeypatch):
    """In this process, with a 1 MB cap: output that is cleared no longer counts; output that
    is kept fails the run at the cell that passes the cap, which keeps none of it."""
    from lawnb.run import execute
    from lawnb.run.jobs import Job

    monkeypatch.setattr(execute, "MAX_OUTPUT_BYTES", 1024 * 1024)
    chunk = "print('x' * 100_000)"
    cleared = "from IPython.display import clear_output\nfor _ in range(8):\n    " + chunk
    cleared += "\n    clear_output()"
    kept = f"for _ in range(6):\n    {chunk}"

    def run(cells: list[str]):  # type: ignore[no-untyped-def]
        notebook = write_notebook(tmp_path / f"{uuid.uuid4().hex}.ipynb", [PARAMS_CELL, *cells])
        job = Job(notebook=notebook, parameters={}, out_stem=tmp_path / "out", title="t")
        return execute.execute_notebook(job, timeout=60)

    nb, failure = run([cleared, kept])
    assert failure is None  # 800 KB printed and cleared, then 600 KB kept
    nb, failure = run([kept, "print('small')", kept, "print('never')"])
    assert failure is not None and failure.cell == 3  # the second big cell passes 1 MB
    assert "第 4 个代码单元的输出超过 1 MB" in failure.message, failure.message
    flooded, never = [
        c for c in nb.cells if "injected-parameters" not in c.metadata.get("tags", [])
    ][3:]
    assert [o.output_type for o in flooded.outputs] == ["error"]
    assert len(nbformat.writes(nb)) < 800_000  # the flooding cell's output is not kept
    assert not never.get("outputs")
