"""Faults in a batch: a notebook killed mid-run, its worker process killed, a kernel that dies, a
cell past its timeout, an output folder that cannot be written.

The batch reports each fault, finishes the other notebooks, leaves the earlier good reports in
place, and a rerun of the same jobs once the cause is gone repairs everything. (tests/run/test_execute.py
covers a single timeout and a single dead kernel; here they happen together, in one batch, with
the default process pool.) Every notebook is written here, in the temp folder.
"""

from __future__ import annotations

import errno
import os
import signal
import tempfile
import threading
import time
from pathlib import Path

import nbformat
import pytest

from lawnb.cli import main
from lawnb.errors import RunError
from lawnb.run.index import write_index
from lawnb.run.jobs import Job
from lawnb.run.runner import run_jobs

FAULTY = """\
import os, pathlib, time
repaired = pathlib.Path(flag).exists()
def report_pid(name, pid):  # for the test's killer thread
    tmp = pathlib.Path(pid_dir, name + ".tmp")
    tmp.write_text(str(pid))
    tmp.rename(pathlib.Path(pid_dir, name))
if not repaired:
    if mode == "killed":  # killed from outside while it runs
        report_pid("kernel.pid", os.getpid())
        time.sleep(120)
    elif mode == "worker-killed":  # the process running the notebook is killed
        report_pid("worker.pid", os.getppid())
        time.sleep(120)
    elif mode == "kernel-dies":
        os._exit(1)
    elif mode == "timeout":
        time.sleep(120)
"""


def write_notebook(path: Path) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    params = nbformat.v4.new_code_cell(
        'unit: str = "示例单位"  # 单位\nyear: int = 2021  # 年度\nmode: str = "ok"  # 故障\n'
        'flag: str = ""  # 修复标记\npid_dir: str = ""  # 进程号目录\ndataset: str = ""  # 数据集'
    )
    params.metadata["tags"] = ["parameters"]
    nb.cells = [
        params,
        nbformat.v4.new_code_cell(FAULTY),
        nbformat.v4.new_code_cell(
            'print(f"{unit}{year}年报告" + ("（已修复）" if repaired else ""))'
        ),
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


class Killer(threading.Thread):
    """Kills each process whose id a notebook reports (only ours: its command line is checked).

    A notebook run again reports its new process, which is killed too: the fault is not
    transient, so only a repair makes the notebook pass.
    """

    def __init__(self, pid_dir: Path) -> None:
        super().__init__(daemon=True)
        self.pid_dir = pid_dir
        self.killed: dict[str, list[int]] = {"kernel.pid": [], "worker.pid": []}
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            for name, pids in self.killed.items():
                file = self.pid_dir / name
                if not file.exists():
                    continue
                pid = int(file.read_text())
                if pid in pids:
                    continue
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
                expected = b"ipykernel" if name == "kernel.pid" else b"spawn_main"
                assert expected in cmdline and pid != os.getpid(), cmdline
                os.kill(pid, signal.SIGKILL)
                pids.append(pid)
            time.sleep(0.05)


UNITS = {  # unit: fault (甲 and 己 are good; 戊 writes into a folder that refuses writes)
    "甲镇": "ok",
    "乙镇": "killed",
    "丙镇": "worker-killed",
    "丁镇": "kernel-dies",
    "戊镇": "ok",
    "庚镇": "timeout",
    "己镇": "ok",
}
LOCKED_YEAR = "2022"


def _jobs(tmp_path: Path, notebook: Path) -> list[Job]:
    outputs = tmp_path / "outputs"
    jobs = []
    for unit, mode in UNITS.items():
        year = LOCKED_YEAR if unit == "戊镇" else "2021"
        jobs.append(
            Job(
                notebook,
                {
                    "unit": unit,
                    "year": int(year),
                    "mode": mode,
                    "flag": str(tmp_path / "repaired"),
                    "pid_dir": str(tmp_path / "pids"),
                },
                outputs / year / unit,
                f"{unit}{year}",
                f"{year} {unit}",
            )
        )
    return jobs


def _old_report(job: Job) -> tuple[bytes, float]:
    """An earlier good run's report and notebook for the job, with an old timestamp."""
    job.html_path.parent.mkdir(parents=True, exist_ok=True)
    for path in (job.html_path, job.ipynb_path):
        path.write_text(f"上一次成功的 {job.name}", encoding="utf-8")
        os.utime(path, (1_600_000_000, 1_600_000_000))
    return job.html_path.read_bytes(), job.html_path.stat().st_mtime


def _leftovers(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.name.endswith(".tmp") or p.name.startswith(".")]


@pytest.mark.notebook
def test_a_batch_survives_every_fault_and_a_rerun_repairs_it(tmp_path, monkeypatch):
    notebook = write_notebook(tmp_path / "nb" / "faulty.ipynb")
    (tmp_path / "pids").mkdir()
    jobs = _jobs(tmp_path, notebook)
    by_unit = {job.parameters["unit"]: job for job in jobs}
    old = {unit: _old_report(job) for unit, job in by_unit.items() if UNITS[unit] != "ok"}
    old["戊镇"] = _old_report(by_unit["戊镇"])

    # The year folder of 戊镇 refuses writes (chmod for a normal user; root ignores the mode bits,
    # so writes there are refused the way the system refuses them: EACCES).
    locked = (tmp_path / "outputs" / LOCKED_YEAR).resolve()
    real_mkstemp = tempfile.mkstemp

    def mkstemp(*args, dir=None, **kwargs):  # type: ignore[no-untyped-def]
        if dir is not None and Path(dir).resolve() == locked:
            raise PermissionError(errno.EACCES, "Permission denied", str(dir))
        return real_mkstemp(*args, dir=dir, **kwargs)

    killer = Killer(tmp_path / "pids")
    killer.start()
    try:
        with monkeypatch.context() as patch:
            patch.setattr(tempfile, "mkstemp", mkstemp)
            locked.chmod(0o555)
            start = time.monotonic()
            results = run_jobs(jobs, max_workers=2, timeout=6, progress=False)
            elapsed = time.monotonic() - start
            locked.chmod(0o755)
    finally:
        killer.stop.set()
        killer.join()
    assert killer.killed["kernel.pid"] and killer.killed["worker.pid"]

    assert [r.job for r in results] == jobs
    outcome = {r.job.parameters["unit"]: r for r in results}
    assert {u for u, r in outcome.items() if r.ok} == {"甲镇", "己镇"}
    assert outcome["乙镇"].error.startswith("DeadKernelError: 内核意外退出")
    assert outcome["丙镇"].error.startswith("RunError: 运行笔记本的进程意外终止")
    assert outcome["丁镇"].error.startswith("DeadKernelError: ")
    assert (
        outcome["庚镇"].error.startswith("CellTimeoutError: ") and "6 秒" in outcome["庚镇"].error
    )
    assert "没有写入权限" in outcome["戊镇"].error and LOCKED_YEAR in outcome["戊镇"].error
    for unit in ("乙镇", "丁镇", "庚镇"):  # the failing cell is named
        assert outcome[unit].failed_cell == 1, (unit, outcome[unit])
    assert elapsed < 150

    for unit in ("甲镇", "己镇"):
        assert f"{unit}2021年报告" in outcome[unit].html.read_text(encoding="utf-8")
    for unit, (content, mtime) in old.items():  # earlier good reports stay as they were
        html = by_unit[unit].html_path
        assert html.read_bytes() == content and html.stat().st_mtime == mtime, unit
        assert outcome[unit].html is None
    # The worker died with its notebook: nothing came back, the earlier notebook stays too.
    assert by_unit["丙镇"].ipynb_path.read_text(encoding="utf-8") == "上一次成功的 2021 丙镇"
    assert outcome["丙镇"].ipynb is None
    assert _leftovers(tmp_path / "outputs") == []

    index = write_index(tmp_path / "outputs", results).read_text(encoding="utf-8")
    assert index.count('class="lawnb-fail"') == 5 and "上次成功运行的版本" in index

    # The causes are gone: the same jobs again repair every report.
    (tmp_path / "repaired").touch()
    again = run_jobs(jobs, max_workers=2, timeout=6, progress=False)
    assert all(r.ok for r in again), [r.error for r in again if not r.ok]
    for result in again:
        unit = result.job.parameters["unit"]
        text = result.html.read_text(encoding="utf-8")
        assert "（已修复）" in text and unit in text
        assert result.html.stat().st_mtime > 1_600_000_000
    index = write_index(tmp_path / "outputs", again).read_text(encoding="utf-8")
    assert 'class="lawnb-fail"' not in index and index.count('class="lawnb-ok"') == len(jobs)
    assert _leftovers(tmp_path / "outputs") == []


@pytest.mark.notebook
def test_a_worker_killed_in_a_one_process_batch_fails_only_its_notebook(tmp_path):
    """With one worker the dead process held the whole queue: the rest still runs."""
    notebook = write_notebook(tmp_path / "nb" / "faulty.ipynb")
    (tmp_path / "pids").mkdir()
    jobs = [
        job
        for job in _jobs(tmp_path, notebook)
        if job.parameters["mode"] in ("ok", "worker-killed") and job.parameters["unit"] != "戊镇"
    ]
    killer = Killer(tmp_path / "pids")
    killer.start()
    try:
        results = run_jobs(jobs, max_workers=1, timeout=30, progress=False)
    finally:
        killer.stop.set()
        killer.join()
    assert [r.job for r in results] == jobs
    assert [r.ok for r in results] == [m == "ok" for m in (j.parameters["mode"] for j in jobs)]
    assert "进程意外终止" in next(r.error for r in results if not r.ok)


@pytest.mark.notebook
def test_an_unwritable_index_is_a_message_not_a_traceback(tmp_path, capsys):
    """lawnb run: the reports are written; the index cannot be, which is said in one message."""
    notebooks = tmp_path / "notebooks"
    notebook = write_notebook(notebooks / "annual_report.ipynb")
    assert notebook.exists()
    params = tmp_path / "params" / "2020.yaml"
    params.parent.mkdir()
    params.write_text("year: 2020\ndataset: sample\nunits: [齐村镇]\n", encoding="utf-8")
    outputs = tmp_path / "outputs"
    (outputs / "index.html").mkdir(parents=True)  # a folder where the index page goes

    run = ["run", "--params", str(params), "--outputs", str(outputs), "--no-progress"]
    code = main([*run, "--notebooks-dir", str(notebooks), "--jobs", "1", "--timeout", "60"])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "Traceback" not in err
    assert "索引页未更新" in err and "index.html" in err and "目标位置是一个文件夹" in err
    assert (outputs / "2020" / "市中区" / "齐村镇.html").is_file()
    assert _leftovers(outputs) == []


def test_write_index_names_the_folder_and_the_cause(tmp_path, monkeypatch):
    outputs = tmp_path / "outputs"
    outputs.mkdir()

    def full(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise OSError(errno.ENOSPC, "No space left on device", str(outputs))

    monkeypatch.setattr(tempfile, "mkstemp", full)
    with pytest.raises(RunError, match=r"索引页未更新：无法写入 .*outputs：磁盘空间已满"):
        write_index(outputs, [])
    assert list(outputs.iterdir()) == []
