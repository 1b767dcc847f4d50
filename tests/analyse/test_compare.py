"""lawnb.analyse.compare, the one place to import the comparisons from, and the bundled sample.

The comparisons themselves are tested beside their modules (test_matching, test_changes,
test_series, test_promises, test_district_tables); here: every name stays importable from
``lawnb.analyse.compare`` and the package, and one year alone (齐村镇 2020) compares to nothing.
"""

from __future__ import annotations

import lawnb
from lawnb.analyse import changes, compare, district_tables, matching, promises, series
from lawnb.analyse.compare import TARGET_COLUMNS, YOY_COLUMNS, targets, trends, year_on_year


def test_every_name_is_the_one_of_its_module():
    homes = {
        "CHANGE_STATUSES": changes,
        "BOTH_YEARS_STATUSES": changes,
        "MATCH_SHARE_COLUMNS": changes,
        "NOT_MENTIONED": changes,
        "YOY_COLUMNS": changes,
        "indicator_match_share": changes,
        "indicator_match_shares": changes,
        "year_on_year": changes,
        "trends": series,
        "TREND_COLUMNS": series,
        "targets": promises,
        "TARGET_COLUMNS": promises,
        "district": district_tables,
        "DISTRICT_NOTE": district_tables,
        "KEY_INDICATOR_FIELDS": district_tables,
        "indicator_key": matching,
        "normalize_subject": matching,
    }
    for name, module in homes.items():
        assert getattr(compare, name) is getattr(module, name), name
    assert set(compare.__all__) <= set(dir(compare))
    assert compare.TARGET_STATUSES == ("已完成", "未完成", "无可比数据")


def test_the_package_exports_the_comparisons():
    for name in ("year_on_year", "trends", "targets", "district"):
        assert getattr(lawnb, name) is getattr(compare, name)


# --- one year only: the bundled sample (齐村镇 2020) ----------------------------------------


def test_single_year_sample(sample):
    yoy = year_on_year(sample, "齐村镇", 2020)
    assert yoy.empty and list(yoy.columns) == list(YOY_COLUMNS)
    assert yoy.attrs["previous_report"] is False

    t = targets(sample, "齐村镇", 2020)
    assert list(t.columns) == list(TARGET_COLUMNS)
    assert len(t) == 2
    assert (t["status"] == "无可比数据").all() and not t["next_year_report"].any()
    assert t.attrs["next_year_report"] is False
    got = {(r.target, r.target_qualifier, r.measure) for r in t.itertuples()}
    # "不少于8次" 法制教育 and "4次" 村级调解主任最新法律知识 training.
    assert got == {(8.0, "at_least", "次"), (4.0, "exact", "次")}
    assert set(t["key"]) == {"society.legal_education_youth", "disputes.mediator_training"}

    assert trends(sample, "齐村镇").empty  # nothing is present in two years
