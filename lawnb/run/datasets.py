"""What ``lawnb run`` needs of a dataset, as a protocol: run imports no stage, so the caller
passes the loader (the CLI passes the store's ``load_dataset``).

``DatasetLike`` is the part of a loaded dataset a plan reads; ``OpenDataset`` a function from
a dataset argument (a bundled name or a folder) to one. ``is_fictional`` tells a fictional
dataset from its manifest, read from disk when no dataset is loaded.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from lawnb.bundled import is_fictional as manifest_is_fictional
from lawnb.bundled import resolve_dataset_path
from lawnb.errors import DatasetError

if TYPE_CHECKING:
    import pandas as pd


class DatasetLike(Protocol):
    """A loaded dataset as a plan sees it (the store's ``Dataset`` is one)."""

    #: One row per report (``unit``, ``district``, ``year``, …).
    reports: pd.DataFrame
    #: The dataset's ``manifest.json`` (``"fictional": true`` marks a fictional dataset).
    manifest: dict

    def units(self) -> list[str]:
        """Units that have at least one report, in name order."""
        ...

    def years(self, unit: str) -> list[int]:
        """The report years of a unit, ascending."""
        ...

    def report_row(self, unit: str, year: int) -> Any:
        """The report of a unit-year; a ``DatasetError`` (a ``LawnbError``) naming what exists
        when there is none."""
        ...

    def districts_of_unit(self, unit: str, year: int) -> list[str]:
        """The districts ("" for none) of the unit's reports of ``year``, in name order."""
        ...


#: Loads a dataset argument (a bundled name or a folder); raises ``DatasetError`` when it cannot.
OpenDataset = Callable[[str], DatasetLike]


def is_fictional(dataset: DatasetLike | None, dataset_arg: str | Path | None) -> bool:
    """True when a dataset's manifest marks it fictional; read from disk when none is loaded."""
    return manifest_is_fictional(
        dataset.manifest if dataset is not None else _manifest_of(dataset_arg)
    )


def _manifest_of(dataset_arg: str | Path | None) -> dict:
    """A dataset folder's manifest as read from disk ({} when there is none or it is broken)."""
    try:
        folder = resolve_dataset_path(dataset_arg)[0]
        data = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (DatasetError, OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}
