"""Fixtures of the comparison tests: the demo district, the bundled sample, a fictional town."""

from __future__ import annotations

import pytest

from lawnb.store.loading import load_dataset

try:
    from .comparison_helpers import QINGLIU_2022, QINGLIU_2023, fictional
except ImportError:  # pragma: no cover
    from comparison_helpers import QINGLIU_2022, QINGLIU_2023, fictional


@pytest.fixture(scope="module")
def demo():
    return load_dataset("demo")


@pytest.fixture(scope="module")
def sample():
    return load_dataset()


@pytest.fixture(scope="module")
def qingliu():
    return fictional(QINGLIU_2022, QINGLIU_2023)
