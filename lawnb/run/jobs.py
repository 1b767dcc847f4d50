"""The data a batch passes around: a ``Job`` to run, the ``RenderedJob`` a worker sends back,
the ``JobResult`` once the files are written, and the ``JobFailure`` of a job that failed.

A failure travels as a record (exception name, message, failing cell) and becomes text
(``"ValueError: …"``) only where a reader sees it: the CLI summary, the index page, runs.json.
Every type here is picklable, so a remote worker can send it back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class JobFailure:
    """Why a job failed: the exception's class name, its message, and the failing cell.

    ``cell`` is the 0-based index of the failing cell among the *source* notebook's code cells
    (papermill's injected-parameters cell is not counted); None when no cell is to blame.
    """

    name: str
    message: str
    cell: int | None = None

    @classmethod
    def of(cls, exc: BaseException, *, cell: int | None = None) -> JobFailure:
        """The failure an exception describes: its class name and its text."""
        return cls(type(exc).__name__, str(exc), cell)

    def __str__(self) -> str:
        return f"{self.name}: {self.message}"


def cell_number(cell: int | None) -> int | None:
    """A failing cell as every reader sees it (CLI, index page): counted from 1; None unknown."""
    return cell + 1 if isinstance(cell, int) and not isinstance(cell, bool) else None


def where_failed(cell: int | None) -> str:
    """``第 N 个代码单元`` for a known failing cell (0-based ``cell``), else ``""``."""
    number = cell_number(cell)
    return f"第 {number} 个代码单元" if number is not None else ""


class _Outcome:
    """``error`` and ``failed_cell`` of a rendered job or a result, read from its ``failure``."""

    failure: JobFailure | None

    @property
    def error(self) -> str | None:
        """The failure as a reader sees it (``"EName: message"``), None on success."""
        return None if self.failure is None else str(self.failure)

    @property
    def failed_cell(self) -> int | None:
        """The failing cell (see ``JobFailure.cell``), None on success."""
        return None if self.failure is None else self.failure.cell


@dataclass(frozen=True)
class Job:
    """One notebook run: which notebook, with which parameters, written where.

    ``out_stem`` is the output path without suffix: ``outputs/2020/市中区/齐村镇`` gives
    ``齐村镇.ipynb`` and ``齐村镇.html`` in ``outputs/2020/市中区``. ``district``, ``unit`` and
    ``fictional`` are what the index page shows of the job (None: taken from the parameters
    and the path); ``fictional`` marks a page made from a fictional dataset (虚构示例数据).
    ``timeout`` is this notebook's limit in seconds per cell (its params file's ``timeout:``);
    None leaves it to the batch's.
    """

    notebook: Path
    parameters: dict[str, Any]
    out_stem: Path
    title: str
    label: str = ""
    district: str | None = None
    unit: str | None = None
    fictional: bool = False
    timeout: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "notebook", Path(self.notebook))
        object.__setattr__(self, "out_stem", Path(self.out_stem))
        object.__setattr__(self, "parameters", dict(self.parameters))

    @property
    def html_path(self) -> Path:
        """The HTML report this job writes."""
        return self.out_stem.with_name(self.out_stem.name + ".html")

    @property
    def ipynb_path(self) -> Path:
        """The executed notebook this job writes."""
        return self.out_stem.with_name(self.out_stem.name + ".ipynb")

    @property
    def name(self) -> str:
        """The label, or the output file name when there is none."""
        return self.label or self.out_stem.name


@dataclass(frozen=True)
class RenderedJob(_Outcome):
    """What a worker sends back: the executed notebook and the HTML as text, no files."""

    job: Job
    ipynb: str | None
    html: str | None
    failure: JobFailure | None
    seconds: float

    @property
    def ok(self) -> bool:
        """True when the notebook ran to the end and the HTML was exported."""
        return self.failure is None and self.html is not None


@dataclass
class JobResult(_Outcome):
    """The outcome of one job once its files are written.

    ``failure`` says why a job failed (None when it succeeded); ``error`` and ``failed_cell``
    give it as text and as a cell index. ``html`` is None for a failed job: a previous HTML
    from an earlier good run is left on disk untouched. ``finished`` is when the files were
    written (local time, ``2024-03-01 09:30:05``): the page's own run time on the index.
    """

    job: Job
    ok: bool
    html: Path | None
    ipynb: Path | None
    failure: JobFailure | None
    seconds: float
    finished: str = ""


def now() -> str:
    """The local time as ``JobResult.finished`` and the index show it: ``2024-03-01 09:30:05``."""
    return datetime.now().isoformat(sep=" ", timespec="seconds")
