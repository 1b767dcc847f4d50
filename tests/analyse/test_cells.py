"""lawnb.analyse.cells: the values a comparison row holds, and frames with stable dtypes."""

from __future__ import annotations

import math

import pandas as pd

from lawnb.analyse.cells import as_code, as_number, as_text, inexact, typed_frame, wording


def test_missing_values_read_as_blank_nan_or_none():
    for missing in (None, float("nan"), pd.NA):
        assert as_text(missing) == ""
        assert math.isnan(as_number(missing))
        assert as_code(missing) is None
    assert (as_text("全年调解纠纷126件"), as_number(126), as_code("approx")) == (
        "全年调解纠纷126件",
        126.0,
        "approx",
    )


def test_wording_is_the_qualifier_as_written():
    assert wording({"wording": "余"}) == "余"
    assert wording({"wording": ""}) is None and wording({"wording": float("nan")}) is None
    assert wording({}) is None and wording(None) is None


def test_inexact_when_any_value_is_approximate_or_a_bound():
    assert not inexact("exact", None, "exact")
    assert inexact("exact", "approx") and inexact(None, "at_least")


def test_typed_frame_keeps_dtypes_when_empty():
    columns = ("year", "key", "value", "approx", "change_pct")
    empty = typed_frame([], columns)
    full = typed_frame(
        [{"year": 2022, "key": "k", "value": 1, "approx": False, "change_pct": None}], columns
    )
    assert list(empty.columns) == list(columns)
    assert empty.dtypes.to_dict() == full.dtypes.to_dict()
    assert str(full["year"].dtype) == "int64" and str(full["value"].dtype) == "float64"
    assert str(full["approx"].dtype) == "bool"
