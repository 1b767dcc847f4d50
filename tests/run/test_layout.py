"""Tests of lawnb.run.layout: the output folders and the years read from them."""

from __future__ import annotations

import pytest

from lawnb.names import NO_DISTRICT
from lawnb.run.layout import (
    NOTEBOOK_NAMES,
    NOTEBOOKS,
    OVERVIEW_NOTEBOOK,
    district_of_folder,
    output_folder,
    year_of,
)


def test_a_report_without_a_district_goes_to_the_unknown_district_folder():
    assert output_folder("市中区") == "市中区"
    assert output_folder("") == NO_DISTRICT
    assert district_of_folder(NO_DISTRICT) == "" and district_of_folder("示例区") == "示例区"


def test_every_notebook_lawnb_runs_has_a_chinese_name():
    assert set(NOTEBOOKS) == {"annual_report", OVERVIEW_NOTEBOOK}
    assert NOTEBOOK_NAMES["explore"] == "交互探索"
    assert set(NOTEBOOKS) < set(NOTEBOOK_NAMES)


@pytest.mark.parametrize(
    ("value", "year"),
    [
        ("2021", 2021),
        (2021, 2021),
        (" 2020 ", 2020),
        ("1990", 1990),
        ("2100", 2100),
        ("1989", None),
        ("2101", None),
        ("示例区", None),
        ("", None),
        (None, None),
    ],
)
def test_a_year_is_read_from_a_folder_name_or_a_parameter(value, year):
    assert year_of(value) == year
