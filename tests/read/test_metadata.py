"""Title, unit, district, level and year of a report, and where each was read from.

Fictional names throughout; every case is a shape real published reports have.
"""

from __future__ import annotations

from lawnb.read.reader import read_report

BODY = "\n一、主要举措和成效\n（一）学法用法\n全年组织集中学法6次，举办法治讲座2场。"


def test_page_clock_publication_date_and_cited_plan_never_give_the_year():
    text = (
        "今天是2026年3月2日 星期一\n成文日期：2026-01-28\n"
        "根据《法治政府建设实施纲要（2021—2025年）》，2025年，柳溪乡坚持依法行政，现将情况报告如下："
        + BODY
    )
    report = read_report(text)
    assert (report.unit, report.year) == ("柳溪乡", 2025)
    assert report.meta_sources["year"] == "opening"


def test_title_wins_over_metadata_and_opening():
    text = (
        "发布机构：苍梧市云台区桃源镇人民政府\n桃源镇2022年度法治政府建设情况报告\n"
        "2022年，全镇上下坚持依法行政。" + BODY
    )
    report = read_report(text)
    assert (report.title, report.unit, report.district, report.year) == (
        "桃源镇2022年度法治政府建设情况报告",
        "桃源镇",
        "云台区",
        2022,
    )
    assert report.meta_sources == {
        "title": "title",
        "unit": "title",
        "level": "title",
        "year": "title",
        "district": "metadata",  # the title names no county: the page's publisher does
    }
    assert report.guessed_fields == ["district"] and report.meta_confidence == "medium"


def test_addressee_names_the_district():
    text = "柳溪乡2021年法治建设工作报告\n青川县人民政府：\n2021年，我乡认真落实县委部署。" + BODY
    report = read_report(text)
    assert (report.unit, report.district) == ("柳溪乡", "青川县")


def test_relative_department_takes_its_government_from_the_text():
    text = (
        "2023年，市应急管理局在市委、市政府的领导下，落实《苍梧市安全生产条例》，"
        "现将有关情况报告如下：" + BODY
    )
    report = read_report(text)
    assert (report.unit, report.district, report.level) == (
        "苍梧市应急管理局",
        "苍梧市",
        "department",
    )
    assert report.meta_confidence == "low"


def test_traditional_title_is_kept_as_written_and_the_rest_simplified():
    text = "桃源鎮2020年度法治政府建設情況報告\n2020年，桃源鎮全面推進依法治鎮。\n一、主要舉措\n建起3個法治廣場。"
    report = read_report(text)
    assert report.title == "桃源鎮2020年度法治政府建設情況報告"
    assert (report.unit, report.year) == ("桃源镇", 2020)


def test_the_user_wins_and_is_recorded():
    text = "2023年，柳溪乡坚持依法行政。" + BODY
    report = read_report(text, unit="柳溪乡", district="青川县", year=2023)
    assert report.guessed_fields == [] and report.meta_confidence == "high"
    assert report.meta_sources["unit"] == "override"


def test_nothing_found_is_said_so():
    report = read_report("一、主要举措\n全年组织集中学法6次，举办法治讲座2场，参训干部120人次。")
    assert report.unit is None and report.year is None
    assert report.guessed_fields == ["unit", "district", "year"]


def test_a_unit_given_for_another_unit_drops_the_district_read_for_it():
    text = "苍梧市云台区桃源镇2022年度法治政府建设情况报告\n2022年，全镇坚持依法行政。" + BODY
    same = read_report(text, unit="桃源镇")
    assert (same.unit, same.district) == ("桃源镇", "云台区")  # the unit read: its district holds
    other = read_report(text, unit="柳溪乡")
    assert other.district is None and "district" in other.guessed_fields
    named = read_report(text, unit="青川县柳溪乡")
    assert named.district == "青川县" and named.meta_sources["district"] == "override"
