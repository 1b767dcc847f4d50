"""The kernels notebooks run in: started here rather than by papermill, one spare kept ahead.

Kernels are started over IPC (Unix sockets) where there is one, so that no TCP port can be
taken by another kernel between being picked and being bound (papermill#511: "Address already
in use", more likely the more kernels start at once); and, in a batch, the next notebook's
kernel starts while this one runs. ``take_kernel`` gives a started kernel, ``stop_kernel``
kills it; spares left at exit are stopped (atexit, and a multiprocessing finaliser for forked
workers). ``use_readable_parameters`` patches papermill's translator table once per process.

A worker of lawnb's own pool calls ``guard_worker`` first: SIGTERM or SIGHUP then kills every
kernel it started (each kernel leads a process group of its own, with whatever it started)
and ends the worker; on Linux the worker gets SIGTERM when its parent dies, even by SIGKILL,
and its kernels SIGKILL when the worker dies. ``family`` and ``kill_family`` let the parent
end what a worker left behind. This module holds process-wide state: the kernels started and
not yet stopped, the spares, and whether old socket folders were swept.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import multiprocessing.util
import os
import shutil
import signal
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

# The kernel's own log (e.g. "running over TCP without encryption", shutdown noise after a
# timeout) is not about the notebook; errors in the notebook reach us through its outputs.
_KERNEL_ARGS = ["--IPKernelApp.log_level=CRITICAL"]

#: A started kernel: its manager and the folder of its IPC sockets ("" when on TCP).
Kernel = tuple[Any, str]
#: What a kernel is started for: kernel name, working folder, extra command-line arguments.
KernelKey = tuple[str, str, tuple[str, ...]]

_SPARE: dict[KernelKey, Kernel] = {}
_SWEPT: list[bool] = []
#: Every kernel this process started and has not stopped yet (spares included), by id(manager).
_LIVE: dict[int, Kernel] = {}
#: Set in a guarded worker: what its kernels run before they start (Linux: die with the worker).
_KERNEL_PREEXEC: list[Callable[[], None]] = []
#: Temp folders of this process: its kernels' sockets and its notebooks' executed copies.
FOLDER_PREFIXES = ("lawnb-kernel-", "lawnb-run-")
#: Signals that stop a worker (and, in ``lawnb run``, the whole batch).
STOP_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)
)
_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def use_readable_parameters() -> None:
    """Inject string parameters as ``'齐村镇'`` rather than papermill's ``"\\u9f50..."``.

    The executed ``.ipynb`` is read by analysts; ``repr`` gives a valid Python literal that keeps
    Chinese characters as they are.
    """
    from papermill.translators import PythonTranslator, papermill_translators

    class ReadablePythonTranslator(PythonTranslator):
        @classmethod
        def translate_escaped_str(cls, str_val: Any) -> str:
            if isinstance(str_val, str):
                return repr(str_val)
            return super().translate_escaped_str(str_val)

    current = papermill_translators._translators.get("python")
    if current is None or current.__name__ != ReadablePythonTranslator.__name__:
        papermill_translators.register("python", ReadablePythonTranslator)


def kernel_arguments(kernel_name: str) -> list[str]:
    """The extra arguments lawnb gives a kernel: its log quietened, for an IPython kernel only
    (the only kind that understands them); none for another or an unknown kernel."""
    try:
        from jupyter_client.kernelspec import KernelSpecManager

        argv = KernelSpecManager().get_kernel_spec(kernel_name).argv
    except Exception:  # unknown kernel: papermill reports it
        return []
    return list(_KERNEL_ARGS) if any("ipykernel" in part for part in argv) else []


def _start_kernel(key: KernelKey) -> Kernel:
    from jupyter_client.manager import AsyncKernelManager
    from jupyter_core.utils import run_sync

    kernel_name, cwd, extra = key
    folder = ""
    if os.name == "posix":  # IPC sockets in a folder of their own
        if not _SWEPT:
            _sweep_kernel_folders()
        folder = tempfile.mkdtemp(prefix=f"lawnb-kernel-{os.getpid()}-")
        km = AsyncKernelManager(
            kernel_name=kernel_name, transport="ipc", ip=os.path.join(folder, "k")
        )
    else:
        km = AsyncKernelManager(kernel_name=kernel_name)
    _LIVE[id(km)] = (km, folder)
    options: dict[str, Any] = {"cwd": cwd, "extra_arguments": list(extra)}
    if _KERNEL_PREEXEC:  # passed on to Popen by jupyter_client
        options["preexec_fn"] = _KERNEL_PREEXEC[0]
    try:
        run_sync(km.start_kernel)(**options)
    except BaseException:
        _LIVE.pop(id(km), None)
        kill_kernel(km)
        if folder:
            shutil.rmtree(folder, ignore_errors=True)
        raise
    return km, folder


def _sweep_kernel_folders() -> None:
    """Remove the temp folders left by processes that were killed (SIGKILL skips clean-up)."""
    _SWEPT.append(True)
    for folder in Path(tempfile.gettempdir()).glob("lawnb-*-*-*"):
        if not folder.name.startswith(FOLDER_PREFIXES):
            continue
        pid = folder.name.split("-")[2]
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except OSError:  # alive, or not ours to signal
            pass


def take_kernel(key: KernelKey, *, prestart: bool) -> Kernel:
    """A started kernel (the one started ahead when there is one); start the next if asked."""
    kernel = _SPARE.pop(key, None)
    for other in list(_SPARE):  # started for another notebook folder or kernel
        stop_kernel(_SPARE.pop(other))
    if kernel is None:
        kernel = _start_kernel(key)
    if prestart:
        with contextlib.suppress(Exception):  # the next notebook then starts its own
            _SPARE[key] = _start_kernel(key)
    return kernel


def stop_kernel(kernel: Kernel) -> None:
    """Kill a kernel now and remove its socket folder."""
    from jupyter_core.utils import run_sync

    km, folder = kernel
    with contextlib.suppress(Exception):
        run_sync(km.shutdown_kernel)(now=True)
    kill_kernel(km)  # what it started, left in its process group
    _LIVE.pop(id(km), None)
    if folder:
        shutil.rmtree(folder, ignore_errors=True)


def kill_kernel(km: Any) -> None:
    """SIGKILL a started kernel and its process group (what the notebook started) at once.

    Synchronous and safe in a signal handler. jupyter_client starts a kernel in a session of its
    own; its group is killed only when the kernel leads it, never the caller's.
    """
    provisioner = getattr(km, "provisioner", None)
    process = getattr(provisioner, "process", None)
    if process is None:  # not started, or not a local kernel
        return
    pgid = getattr(provisioner, "pgid", None)
    if hasattr(os, "killpg") and pgid is not None and pgid == process.pid:
        with contextlib.suppress(OSError):
            os.killpg(pgid, signal.SIGKILL)
    with contextlib.suppress(OSError):
        process.kill()


def kill_all_kernels() -> None:
    """Kill every kernel this process started and remove its temp folders, without waiting."""
    _SPARE.clear()
    while _LIVE:
        km, _ = _LIVE.popitem()[1]
        kill_kernel(km)
    for prefix in FOLDER_PREFIXES:
        for folder in Path(tempfile.gettempdir()).glob(f"{prefix}{os.getpid()}-*"):
            shutil.rmtree(folder, ignore_errors=True)


def guard_worker(parent: int) -> None:
    """Set up a worker process of lawnb's pool (its initializer); ``parent`` is the batch's pid.

    SIGTERM, SIGHUP and SIGINT (Ctrl-C reaches the whole process group; the parent stops the
    batch) kill the worker's kernels and end it (exit status 128 + signal). On Linux the worker
    gets SIGTERM when the parent dies and its kernels SIGKILL when the worker dies
    (PR_SET_PDEATHSIG).
    """
    for signum in (*STOP_SIGNALS, signal.SIGINT):
        if signal.getsignal(signum) is not signal.SIG_IGN:  # nohup, a background job: kept
            signal.signal(signum, _stop_worker)
    prctl = _prctl()
    if prctl is not None:
        prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)

        def die_with_worker() -> None:  # runs in the kernel's process, before exec
            prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)

        _KERNEL_PREEXEC[:] = [die_with_worker]
    if os.getppid() != parent:  # the parent died before the line above
        _stop_worker(signal.SIGTERM, None)


def _prctl() -> Any:
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None


def _stop_worker(signum: int, frame: Any) -> None:
    kill_all_kernels()
    os._exit(128 + signum)  # no clean-up that could wait on a kernel or the pool's pipes


def family(pid: int) -> dict[int, int]:
    """The processes descended from ``pid`` (Linux: read from /proc; elsewhere none), each with
    its start time, so that a pid taken again by another process is not mistaken for it."""
    parents: dict[int, list[int]] = {}
    started: dict[int, int] = {}
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        parents.setdefault(int(fields[1]), []).append(int(entry.name))
        started[int(entry.name)] = int(fields[19])
    found: dict[int, int] = {}
    todo = list(parents.get(pid, []))
    while todo:
        child = todo.pop()
        if child not in found:
            found[child] = started[child]
            todo.extend(parents.get(child, []))
    return found


def kill_family(processes: dict[int, int]) -> None:
    """SIGKILL those of ``processes`` (from ``family``) still running as the same process."""
    for pid, start in processes.items():
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[19]) == start:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)


def _stop_spares() -> None:
    while _SPARE:
        stop_kernel(_SPARE.popitem()[1])


atexit.register(_stop_spares)
multiprocessing.util.Finalize(None, _stop_spares, exitpriority=10)  # forked workers skip atexit
