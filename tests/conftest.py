"""Shared fixtures (where the repository and ../shared are), the markers and hypothesis profiles.

Markers (registered here, not in pyproject.toml; an unknown marker is an error):

- ``notebook``: runs a notebook or starts a kernel;
- ``browser``: drives headless Chromium;
- ``slow``: kept out of the quick tier. Every ``notebook`` or ``browser`` test is ``slow`` too
  (added at collection), and so are subprocess-heavy command runs and big property runs.

``pytest -m "not slow"`` is the inner loop (about a minute); plain ``pytest`` (CI) runs all.

Hypothesis: the quick tier (``-m "not slow"``) loads the ``quick`` profile, at most
``QUICK_EXAMPLES`` cases per test (tests/test_properties.py caps its own counts by it too);
any other run keeps hypothesis's own profile (``default``, or its ``ci`` one when CI is set)
and every test's full count. ``HYPOTHESIS_PROFILE=NAME`` or ``--hypothesis-profile NAME``
chooses instead.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"

MARKERS = {
    "notebook": "runs a notebook or starts a Jupyter kernel (also slow)",
    "browser": "drives headless Chromium (also slow)",
    "slow": "left out of the quick tier: pytest -m 'not slow' (about a minute)",
}
QUICK_EXAMPLES = 25

settings.register_profile("quick", max_examples=QUICK_EXAMPLES)


def pytest_configure(config: pytest.Config) -> None:
    for name, help_text in MARKERS.items():
        config.addinivalue_line("markers", f"{name}: {help_text}")
    if config.getoption("hypothesis_profile", None):
        return  # hypothesis's plugin loads the profile asked for
    profile = os.environ.get("HYPOTHESIS_PROFILE")
    if profile is None and _runs_quick_tier(config.option.markexpr):
        profile = "quick"
    if profile:
        settings.load_profile(profile)


def _runs_quick_tier(markexpr: str) -> bool:
    """Whether ``-m`` leaves the slow tests out (``not slow``, ``not slow and not browser``)."""
    return "not slow" in " ".join(markexpr.split())


@pytest.hookimpl(tryfirst=True)  # before -m deselects by marker
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every notebook or browser test is slow too; an unknown marker is an error (what
    ``--strict-markers`` does, without an option to remember): a misspelt ``@pytest.mark.slwo``
    would otherwise put a slow test in the quick tier, and ``-m "not slwo"`` would select all."""
    registered = {
        line.split(":", 1)[0].split("(", 1)[0].strip() for line in config.getini("markers")
    }
    unknown = {
        f"-m {config.option.markexpr!r}: {name}"
        for name in re.findall(r"[A-Za-z_]\w*", config.option.markexpr or "")
        if name not in registered | {"and", "or", "not", "True", "False", "None"}
    }
    for item in items:
        unknown.update(
            f"{item.nodeid}: {mark.name}"
            for mark in item.iter_markers()
            if mark.name not in registered
        )
        if item.get_closest_marker("notebook") or item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.slow)
    if unknown:
        raise pytest.UsageError(
            "unknown pytest markers (register them in tests/conftest.py): "
            + "; ".join(sorted(unknown))
        )


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
