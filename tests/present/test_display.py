"""What a page shows: never None or an empty table, qualifiers as written, aligned tables."""

from __future__ import annotations

import pandas as pd
import pytest

import lawnb
from lawnb.present import display, views
from lawnb.present.charts import style


def test_the_extractor_records_the_word():
    report = lawnb.read_report(
        "柳溪乡2022年法治政府建设情况报告\n一、主要举措和成效\n培训干部800余名，发放资料超185份，持证率98%以上。"
    )
    facts = lawnb.extract_facts(report)
    assert list(facts["wording"]) == ["余", "超", "以上"]


def test_show_displays_nothing_for_none_empty_tables_and_empty_charts(monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda item: shown.append(item))
    display.show(None, "", pd.DataFrame(), style.empty("标题", "来源"))
    assert shown == []
    display.show("一句话", pd.DataFrame({"事项": ["学法"], "数值": ["5次"]}))
    assert len(shown) == 2


def test_tables_align_text_left_and_quantities_right():
    table = pd.DataFrame(
        {
            "事项": ["法治讲座", "学法"],
            "数值": ["不少于9次", "98%以上"],
            "原文": ["…<mark>9次</mark>…", ""],
        }
    )
    html = display.table_html(table, highlight="原文")
    assert '<td class="text">法治讲座</td>' in html
    assert '<td class="num">不少于9次</td>' in html
    assert "<mark>9次</mark>" in html  # the evidence keeps its mark, nothing else is markup
    assert "<script>" not in display.table_html(pd.DataFrame({"事项": ["<script>"]}))


def test_evidence_is_centred_on_its_figure():
    sentence = (
        "今年以来，"
        + "镇里持续开展各类普法活动，" * 6
        + "累计发放宣传资料2,800余份，覆盖群众逾万人。"
    )
    shown = display.excerpt(sentence, 2800, "份", width=10)
    assert "<mark>2,800余份</mark>" in shown and shown.startswith("…")
    assert display.excerpt(sentence, 12345, "份", width=10).endswith("…")  # not found: the start


@pytest.fixture(scope="module")
def sparse_view(tmp_path_factory):
    """A unit-year shaped like a real opening: a few figures, no other parts, no earlier year."""
    folder = tmp_path_factory.mktemp("sparse")
    text = (
        "江州市临湖区青石镇2023年度法治政府建设情况报告\n"
        "2023年，青石镇坚持依法行政，现将有关情况报告如下：\n一、主要举措和成效\n"
        "镇党委会议专题学法6次，组织法治讲座3场，受理矛盾纠纷148件，调解成功143件，"
        "全镇执法人员持证率达100%。"
    )
    (folder / "青石镇.txt").write_text(text, encoding="utf-8")
    lawnb.import_reports([folder / "青石镇.txt"], folder / "ds", progress=False)
    dataset = lawnb.load_dataset(folder / "ds")
    return dataset, views.annual_view(dataset, "青石镇", 2023)


def test_a_sparse_report_says_why_each_section_is_empty(sparse_view):
    dataset, view = sparse_view
    assert "没有青石镇2022年的报告" in views.comparison(dataset, view).markdown
    assert views.promises(dataset, view).table.empty
    assert "没有“下一年度工作安排”部分" in views.targets_section(view)
    assert isinstance(views.figures_section(view), pd.DataFrame)
    assert views.review_md(view) == ""


def test_the_first_picture_shows_coverage_not_counts_alone(sparse_view):
    _, view = sparse_view
    table = views.coverage_table(view)
    assert list(table["维度"]) == list(lawnb.schema.DIMENSIONS.values())
    assert table["数据项数"].sum() == len(view.facts)
    figure = views.coverage_figure(view)
    texts = " ".join(t.get_text() for t in figure.texts)
    assert "不代表工作成效" in texts


def test_review_facts_are_boxed_and_kept_out_of_charts(sparse_view):
    _, view = sparse_view
    facts = view.facts.copy()
    facts.loc[facts.index[0], "review"] = "subject"
    boxed = views.AnnualView(**{**view.__dict__, "facts": facts})
    assert "待核" in views.review_md(boxed)
    assert len(views.for_display(facts)) == len(facts) - 1


@pytest.mark.parametrize("name", ["sample", "demo"])
def test_unit_pages_and_the_overview_count_alike(name):
    dataset = lawnb.load_dataset(name)
    checked = 0
    for report in dataset.reports.to_dict("records"):
        unit, year = report["unit"], int(report["year"])
        page = views.coverage_table(views.annual_view(dataset, unit, year))
        overview = views.district_view(dataset, year, report["district"])
        row = overview.tables["coverage"].loc[unit].fillna(0).astype(int)
        assert list(page["数据项数"]) == list(row), (unit, year)
        assert page["数据项数"].sum() + views.annual_view(dataset, unit, year).facts[
            "dimension"
        ].isna().sum() == len(dataset.facts_for(unit, year))
        checked += 1
    assert checked == len(dataset.reports)


def test_an_overview_holds_only_its_districts_units(tmp_path):
    texts = {
        "a.txt": "青川县柳溪乡2023年法治政府建设情况报告\n一、主要举措\n组织学法6次，举办讲座2场。",
        "b.txt": "白水县石门镇2023年法治政府建设情况报告\n一、主要举措\n组织学法4次，举办讲座3场。",
        "c.txt": "青川县司法局2023年法治政府建设情况报告\n一、主要举措\n组织学法5次，举办讲座1场。",
    }
    for name, text in texts.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    lawnb.import_reports(sorted(tmp_path.glob("*.txt")), tmp_path / "ds", progress=False)
    dataset = lawnb.load_dataset(tmp_path / "ds")
    overview = views.district_view(dataset, 2023, "青川县")
    assert overview.units == ["柳溪乡", "青川县司法局"]  # towns first, then departments
    assert list(overview.groups) == ["乡镇（街道）", "区县政府和部门"]
    assert "白水县" not in overview.tables["note"] and "石门镇" not in str(overview.tables)
    assert "分开列出" in views.district_heading_md(overview)
