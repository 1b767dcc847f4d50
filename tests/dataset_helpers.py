"""Helpers shared by the dataset tests: fictional demo reports, dataset copies, CSV edits."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from lawnb.bundled import bundled_path

DEMO_REPORTS = Path(__file__).resolve().parents[1] / "lawnb" / "data" / "demo_reports"
TABLE_FILES = ("reports.csv", "sections.csv", "facts.csv")


def demo_report(unit: str, year: int) -> Path:
    """One of the fictional 示例区 reports bundled with the package."""
    return DEMO_REPORTS / f"示例区{unit}-{year}.txt"


def demo_copy(tmp_path: Path, name: str = "ds") -> Path:
    """A writable copy of the bundled demo dataset (its files, as shipped)."""
    return Path(shutil.copytree(bundled_path("demo"), tmp_path / name))


def read_csv(file: Path) -> pd.DataFrame:
    """A dataset CSV as text (blank cells as "")."""
    return pd.read_csv(file, encoding="utf-8-sig", dtype=str, keep_default_na=False)


def write_csv(frame: pd.DataFrame, file: Path) -> None:
    """Write a CSV the way Excel's “CSV UTF-8” does (BOM, one line per row)."""
    frame.to_csv(file, index=False, encoding="utf-8-sig", lineterminator="\n")


def edit_csv(file: Path, change: Callable[[pd.DataFrame], pd.DataFrame | None]) -> None:
    """Rewrite a CSV after ``change`` (which may edit the frame in place or return a new one)."""
    frame = read_csv(file)
    changed = change(frame)
    write_csv(frame if changed is None else changed, file)


def assert_same_dataset(a, b) -> None:  # type: ignore[no-untyped-def]
    """The three tables (corrections applied) are identical frames."""
    for name in ("reports", "sections", "facts"):
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name), obj=name)


def table_bytes(folder: Path) -> dict[str, bytes | None]:
    """The bytes of every table file (and manual.csv) of a folder; None when missing."""
    return {
        name: (folder / name).read_bytes() if (folder / name).exists() else None
        for name in (*TABLE_FILES, "manual.csv")
    }
