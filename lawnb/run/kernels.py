"""The kernels notebooks run in: started here rather than by papermill, one spare kept ahead.

Kernels are started over IPC (Unix sockets) where there is one, so that no TCP port can be
taken by another kernel between being picked and being bound (papermill#511: "Address already
in use", more likely the more kernels start at once); and, in a batch, the next notebook's
kernel starts while this one runs. ``take_kernel`` gives a started kernel, ``stop_kernel``
kills it; spares left at exit are stopped (atexit, and a multiprocessing finaliser for forked
workers). ``use_readable_parameters`` patches papermill's translator table once per process.
This module holds process-wide state: the spare kernels and whether old socket folders were swept.
"""

from __future__ import annotations

import atexit
import contextlib
import multiprocessing.util
import os
import shutil
import tempfile
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
    try:
        run_sync(km.start_kernel)(cwd=cwd, extra_arguments=list(extra))
    except BaseException:
        if folder:
            shutil.rmtree(folder, ignore_errors=True)
        raise
    return km, folder


def _sweep_kernel_folders() -> None:
    """Remove the socket folders left by processes that were killed (SIGKILL skips clean-up)."""
    _SWEPT.append(True)
    for folder in Path(tempfile.gettempdir()).glob("lawnb-kernel-*-*"):
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
    if folder:
        shutil.rmtree(folder, ignore_errors=True)


def _stop_spares() -> None:
    while _SPARE:
        stop_kernel(_SPARE.popitem()[1])


atexit.register(_stop_spares)
multiprocessing.util.Finalize(None, _stop_spares, exitpriority=10)  # forked workers skip atexit
