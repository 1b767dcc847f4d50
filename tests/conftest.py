"""Shared fixtures: where the repository and ../shared (reports, gold keys) are."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """../shared beside the project root: CI has it; its absence is a set-up error, not a skip."""
    if not (SHARED / "gold").is_dir():
        pytest.fail(
            f"{SHARED} is missing: the tests need ../shared (reports and gold keys) beside the repository"
        )
    return SHARED


@pytest.fixture(scope="session")
def founding_report(shared_dir: Path) -> Path:
    return shared_dir / "reports" / "市中区齐村镇-2020.txt"


@pytest.fixture(scope="session")
def founding_key(shared_dir: Path) -> Path:
    return shared_dir / "gold" / "市中区齐村镇-2020.yaml"
