"""lawnb.formatting: numbers, percentages and values as Chinese text prints them.

All figures are fictional.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from lawnb.errors import LawnbError
from lawnb.formatting import (
    check_qualifier,
    format_number,
    format_percent,
    format_value,
    is_missing,
    measure_text,
    short_value,
)

# --------------------------------------------------------------------------- missing values


@pytest.mark.parametrize("value", [None, float("nan"), math.nan, pd.NA, "", "  ", pd.NaT])
def test_missing_values(value):
    assert is_missing(value)


@pytest.mark.parametrize("value", [0, 0.0, "0", "x", False, -1.5])
def test_present_values(value):
    assert not is_missing(value)


def test_qualifier_codes_blank_means_exact():
    assert check_qualifier(None) == "exact"
    assert check_qualifier(float("nan")) == "exact"
    assert check_qualifier("") == "exact"
    assert check_qualifier("at_least") == "at_least"
    with pytest.raises(LawnbError, match="qualifier='roughly'"):
        check_qualifier("roughly")


def test_measure_text():
    assert measure_text("家次") == "家次"
    assert measure_text(None) == ""
    assert measure_text(float("nan")) == ""


# --------------------------------------------------------------------------- values


@pytest.mark.parametrize(
    ("value", "measure", "qualifier", "expected"),
    [
        (344.0, "家次", "exact", "344家次"),
        (800.0, "名", "approx", "约800名"),
        (8.0, "次", "at_least", "不少于8次"),
        (5.0, "次", "at_most", "不超过5次"),
        (95.0, "%", "exact", "95%"),
        (96.5, "%", "approx", "约96.5%"),
        (12.35, "万元", "exact", "12.35万元"),
        (1160.0, "条", "exact", "1160条"),  # no thousands separator
        (12345678.0, "元", "exact", "12345678元"),
        (0.0, "件", "exact", "0件"),
        (3.0, None, None, "3"),
        (3.0, float("nan"), float("nan"), "3"),
    ],
)
def test_format_value(value, measure, qualifier, expected):
    assert format_value(value, measure, qualifier) == expected


def test_format_value_rejects_unknown_qualifier():
    with pytest.raises(LawnbError, match="qualifier"):
        format_value(3, "次", "roughly")


def test_short_value_for_chart_labels():
    assert short_value(800, "approx") == "约800"
    assert short_value(8, "at_least") == "≥8"
    assert short_value(5, "at_most") == "≤5"
    assert short_value(344.0) == "344"


@pytest.mark.parametrize(
    ("value", "expected"),
    [(5.0, "5"), (5.25, "5.25"), (5.255, "5.26"), (0.1 + 0.2, "0.3"), (-2.0, "-2")],
)
def test_format_number(value, expected):
    assert format_number(value) == expected


@pytest.mark.parametrize(
    ("p", "expected"),
    [
        (5.43, "5.4%"),
        (5.45, "5.5%"),  # half up, not to even
        (9.94, "9.9%"),
        (9.96, "10%"),  # rounds up into whole-number territory
        (10.0, "10%"),
        (12.5, "13%"),
        (24.6, "25%"),
        (250.0, "250%"),
        (0.02, "不足0.1%"),
        (0.0, "0%"),
    ],
)
def test_format_percent_rounds_sensibly(p, expected):
    assert format_percent(p) == expected


@pytest.mark.parametrize(
    ("value", "measure", "qualifier", "wording", "expected"),
    [
        (800, "名", "approx", "余", "800余名"),
        (98, "%", "at_least", "以上", "98%以上"),
        (8, "次", "at_least", "不少于", "不少于8次"),
        (185, "份", "at_least", "超", "超185份"),
        (50, "人", "approx", "约", "约50人"),
        (30, "场", "approx", "左右", "30场左右"),
        (800, "名", "approx", None, "约800名"),  # no wording recorded: the qualifier's word
        (12, "件", "exact", None, "12件"),
        (12, "件", "exact", "余", "12件"),  # an exact value has no qualifier word
    ],
)
def test_values_keep_the_reports_qualifier_word(value, measure, qualifier, wording, expected):
    assert format_value(value, measure, qualifier, wording) == expected


def test_a_missing_value_says_so():
    assert format_value(None, "件") == "无数据"
    assert short_value(float("nan")) == "无数据"


def test_format_values_goes_down_four_columns_and_refuses_unequal_ones():
    from lawnb.formatting import format_values

    assert format_values([800, 8], ["名", "次"], ["approx", "at_least"], ["余", None]) == [
        "800余名",
        "不少于8次",
    ]
    with pytest.raises(ValueError):
        format_values([1, 2], ["次"], ["exact"], [None])
