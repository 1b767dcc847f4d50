"""Helpers shared by the bench scripts (medians, load averages, child CPU time, tables)."""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent  # the venv's bin/: lawnb, papermill, jupyter


def tool(name: str) -> str:
    """The console script ``name`` of the venv running this script."""
    path = BIN / name
    if not path.exists():
        raise SystemExit(f"{path} not found: run the bench with the venv's python")
    return str(path)


def load() -> float:
    """The 1-minute load average (other processes on the machine make the figures noisy)."""
    return os.getloadavg()[0]


@dataclass
class Timed:
    wall: float  # seconds
    cpu: float  # user + system seconds of the child processes
    load_before: float
    load_after: float


def run_timed(
    cmd: Sequence[str], *, cwd: Path, check: bool = True, env: dict[str, str] | None = None
) -> Timed:
    """Run a command, return its wall time and the CPU time of the process tree it waited for."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    load_before = load()
    start = time.perf_counter()
    proc = subprocess.run(list(cmd), cwd=cwd, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if check and proc.returncode != 0:
        raise SystemExit(
            f"command failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stdout}\n{proc.stderr}"
        )
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Timed(wall, cpu, load_before, load())


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def spread(values: Sequence[float]) -> str:
    """``median [min–max]`` of a list of numbers."""
    if not values:
        return "n/a"
    if len(values) == 1:
        return f"{values[0]:.2f}"
    return f"{median(values):.2f} [{min(values):.2f}–{max(values):.2f}]"


def noise(values: Sequence[float]) -> str:
    """Spread of repeated measurements as ± half the range relative to the median."""
    if len(values) < 2:
        return "n/a (one round)"
    m = median(values)
    return f"±{(max(values) - min(values)) / 2 / m * 100:.0f}%" if m else "n/a"
