"""The comparisons as the package exports them, and one year alone (齐村镇 2020) compares to nothing.

The comparisons themselves are tested beside their modules (test_matching, test_changes,
test_series, test_promises, test_district_tables).
"""

from __future__ import annotations

import lawnb
from lawnb.analyse import changes, district_tables, promises, series
from lawnb.analyse.changes import YOY_COLUMNS, has_previous_report, year_on_year
from lawnb.analyse.promises import TARGET_COLUMNS, targets
from lawnb.analyse.series import trends


def test_the_package_exports_the_comparisons():
    homes = {
        "year_on_year": changes,
        "trends": series,
        "targets": promises,
        "district": district_tables,
    }
    for name, module in homes.items():
        assert getattr(lawnb, name) is getattr(module, name)


# --- one year only: the bundled sample (齐村镇 2020) ----------------------------------------


def test_single_year_sample(sample):
    yoy = year_on_year(sample, "齐村镇", 2020)
    assert yoy.empty and list(yoy.columns) == list(YOY_COLUMNS)
    assert not has_previous_report(sample, "齐村镇", 2020)

    t = targets(sample, "齐村镇", 2020)
    assert list(t.columns) == list(TARGET_COLUMNS)
    assert len(t) == 2
    assert (t["status"] == "无可比数据").all() and not t["next_year_report"].any()
    got = {(r.target, r.target_qualifier, r.measure) for r in t.itertuples()}
    # "不少于8次" 法制教育 and "4次" 村级调解主任最新法律知识 training.
    assert got == {(8.0, "at_least", "次"), (4.0, "exact", "次")}
    assert set(t["key"]) == {"society.legal_education_youth", "disputes.mediator_training"}

    assert trends(sample, "齐村镇").empty  # nothing is present in two years
