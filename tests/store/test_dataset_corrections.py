"""Analysts' corrections: manual.csv / manual.xlsx, the Excel export and its edits read back.

Corrections win over extracted rows, leave facts.csv as extracted, survive re-imports (also of
a revised report that moves the corrected figures) and are reported when they no longer apply.
"""

from __future__ import annotations

import pandas as pd
import pytest
from dataset_helpers import demo_copy, demo_report, read_csv, table_bytes, write_csv
from openpyxl import load_workbook

from lawnb.cli import main
from lawnb.errors import DatasetError
from lawnb.exchange.corrections_workbook import import_corrections
from lawnb.exchange.excel import export_xlsx
from lawnb.exchange.workbook import BASELINE_SHEET
from lawnb.store.importing.reports import import_reports
from lawnb.store.loading import load_dataset

REPORT = "示例区/东湖镇/2021"


@pytest.fixture
def folder(tmp_path):
    return demo_copy(tmp_path)


def _facts(folder, report_id=REPORT):
    facts = load_dataset(folder).facts
    return facts[facts["report_id"] == report_id].reset_index(drop=True)


def _fact(dataset, fact_id):
    rows = dataset.facts[dataset.facts["fact_id"] == fact_id]
    return rows.iloc[0] if len(rows) else None


def _manual(folder, rows, columns=None):
    frame = pd.DataFrame(rows, columns=columns)
    write_csv(frame.fillna(""), folder / "manual.csv")


# --- manual.csv ---------------------------------------------------------------------------------


def test_edit_add_delete_win_over_extracted_rows(folder):
    before = _facts(folder)
    extracted = (folder / "facts.csv").read_bytes()
    edited, deleted = before.loc[0], before.loc[1]
    _manual(
        folder,
        [
            {
                "report_id": REPORT,
                "fact_id": edited.fact_id,
                "value": "121",
                "action": "edit",
                "reason": "核对原件",
            },
            {
                "report_id": REPORT,
                "fact_id": deleted.fact_id,
                "action": "delete",
                "reason": "重复统计",
            },
            {
                "report_id": REPORT,
                "fact_id": "",
                "subject": "新建调解室",
                "value": "3",
                "measure": "个",
                "action": "add",
                "reason": "报告漏报",
            },
        ],
    )
    dataset = load_dataset(folder)
    fixed = _fact(dataset, edited.fact_id)
    assert fixed["value"] == 121 and fixed["origin"] == "manual"
    assert fixed["subject"] == edited.subject and fixed["measure"] == edited.measure  # blank: kept
    assert _fact(dataset, deleted.fact_id) is None
    added = dataset.facts[dataset.facts["subject"] == "新建调解室"].iloc[0]
    assert added["origin"] == "manual" and added["kind"] == "achievement"
    assert added["qualifier"] == "exact" and added["fact_id"].startswith("M")
    assert len(dataset.facts_for("东湖镇", 2021)) == len(before)  # one deleted, one added
    assert (folder / "facts.csv").read_bytes() == extracted  # facts.csv stays as extracted
    assert dataset.extracted_facts.loc[0, "origin"] == "extracted"
    assert dataset.unapplied_corrections.empty


def test_empty_marker_clears_a_cell(folder):
    fact = _facts(folder).dropna(subset=["indicator"]).iloc[0]
    _manual(
        folder,
        [
            {
                "report_id": REPORT,
                "fact_id": fact.fact_id,
                "indicator": "（空）",
                "action": "edit",
                "reason": "指标归类错误",
            }
        ],
    )
    assert pd.isna(_fact(load_dataset(folder), fact.fact_id)["indicator"])


def test_corrections_survive_a_reimport(tmp_path):
    report = demo_report("东湖镇", 2021)
    folder = tmp_path / "ds"
    import_reports([report], folder)
    fact = _facts(folder).iloc[0]
    _manual(
        folder,
        [
            {
                "report_id": REPORT,
                "fact_id": fact.fact_id,
                "value": "1",
                "action": "edit",
                "reason": "核对",
            }
        ],
    )
    manual = (folder / "manual.csv").read_bytes()
    import_reports([report], folder, force=True)
    assert (folder / "manual.csv").read_bytes() == manual
    assert _fact(load_dataset(folder), fact.fact_id)["value"] == 1


def test_revised_report_keeps_corrections_and_prints_the_changes(tmp_path, capsys):
    folder = tmp_path / "ds"
    import_reports([demo_report("东湖镇", 2021)], folder)
    facts = _facts(folder)
    notices = facts[facts["subject"] == "下达责令整改通知书"].iloc[0]
    hazards = facts[facts["subject"] == "整改安全隐患"].iloc[0]
    _manual(
        folder,
        [
            {
                "report_id": REPORT,
                "fact_id": notices.fact_id,
                "value": "87",
                "action": "edit",
                "reason": "以台账为准",
            },
            {
                "report_id": REPORT,
                "fact_id": hazards.fact_id,
                "action": "delete",
                "reason": "与上年重复",
            },
            {
                "report_id": REPORT,
                "fact_id": "",
                "subject": "新建调解室",
                "value": "3",
                "measure": "个",
                "action": "add",
                "reason": "报告漏报",
            },
        ],
    )
    # the revision inserts a sentence before every figure (all move) and changes one value
    text = demo_report("东湖镇", 2021).read_text(encoding="utf-8")
    text = text.replace(
        "现将全年工作情况汇报如下。", "全镇共有村居12个。现将全年工作情况汇报如下。"
    )
    text = text.replace("下达责令整改通知书86份", "下达责令整改通知书88份")
    revised = tmp_path / "修订" / "示例区东湖镇-2021.txt"
    revised.parent.mkdir()
    revised.write_text(text, encoding="utf-8")
    assert main(["import", str(revised), "--dataset", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "新增 1 条、删除 0 条、数值变化 1 条" in out
    assert "~ 一、/（一） 下达责令整改通知书：86 → 88 份（此数据有人工修正，修正仍然生效）" in out
    dataset = load_dataset(folder)
    assert dataset.unapplied_corrections.empty
    now = dataset.facts_for("东湖镇", 2021)
    assert now.loc[now["subject"] == "下达责令整改通知书", "value"].tolist() == [87]
    assert now.loc[now["subject"] == "下达责令整改通知书", "origin"].tolist() == ["manual"]
    assert "整改安全隐患" not in set(now["subject"])
    assert "新建调解室" in set(now["subject"])
    assert notices.fact_id not in set(now["fact_id"])  # it moved; the correction followed


def test_a_correction_whose_fact_is_gone_is_reported_not_dropped(tmp_path, capsys):
    folder = tmp_path / "ds"
    import_reports([demo_report("东湖镇", 2021)], folder)
    fact = _facts(folder).iloc[0]
    edit = {"report_id": REPORT, "fact_id": fact.fact_id, "value": "5", "action": "edit"}
    gone = {"report_id": REPORT, "fact_id": "Fdeadbeef00", "action": "delete"}
    _manual(folder, [{**edit, "reason": "核对"}, {**gone, "reason": "重复"}])
    dataset = load_dataset(folder)
    assert _fact(dataset, fact.fact_id)["value"] == 5
    unapplied = dataset.unapplied_corrections
    assert unapplied["fact_id"].tolist() == ["Fdeadbeef00"] and unapplied["line"].tolist() == [3]
    assert "已不存在" in unapplied["problem"].iloc[0]
    assert main(["check", "--dataset", str(folder)]) == 0
    err = capsys.readouterr().err
    assert "1 条人工修正未生效" in err
    assert f"{folder / 'manual.csv'}: 第 3 行：要删除的数据 Fdeadbeef00 已不存在" in err


def test_a_correction_of_a_report_that_does_not_exist_is_refused(folder, capsys):
    add = {"report_id": "示例区/东湖镇/2030", "fact_id": "", "subject": "x", "value": "1"}
    _manual(folder, [{**add, "measure": "件", "action": "add", "reason": "补充"}])
    assert main(["check", "--dataset", str(folder)]) == 2
    err = capsys.readouterr().err
    where = f"{folder / 'manual.csv'}: 第 2 行，列 report_id："
    assert where + "报告编号 '示例区/东湖镇/2030' 在 reports.csv 中不存在" in err


def test_manual_file_problems_are_named(folder, capsys):
    fact = _facts(folder).iloc[0]
    _manual(
        folder,
        [
            {
                "report_id": REPORT,
                "fact_id": fact.fact_id,
                "value": "很多",
                "action": "edit",
                "reason": "x",
            },
            {"report_id": REPORT, "fact_id": "", "value": "1", "action": "edit", "reason": "x"},
            {
                "report_id": REPORT,
                "fact_id": "",
                "subject": "y",
                "action": "add",
                "reason": "x",
                "measure": "件",
            },
            {"report_id": REPORT, "fact_id": fact.fact_id, "action": "change", "reason": ""},
            {
                "report_id": REPORT,
                "fact_id": fact.fact_id,
                "kind": "（空）",
                "action": "edit",
                "reason": "x",
            },
        ],
        columns=["report_id", "fact_id", "subject", "value", "measure", "kind", "action", "reason"],
    )
    file = folder / "manual.csv"
    assert main(["check", "--dataset", str(folder)]) == 2
    err = capsys.readouterr().err
    for expected in [
        f"{file}: 第 2 行，列 value：'很多' 不是数字",
        f"{file}: 第 3 行：修改（edit）和删除（delete）须填写 fact_id",
        f"{file}: 第 4 行：新增（add）的数据须填写 value",
        f"{file}: 第 5 行，列 action：未知取值 'change'。可用取值：edit, add, delete",
        f"{file}: 第 5 行，列 reason：不能为空",
        f"{file}: 第 6 行，列 kind：（空） 表示清空，但这一列不能为空",
    ]:
        assert expected in err


def test_two_corrections_of_one_fact_are_refused(folder):
    fact = _facts(folder).iloc[0]
    row = {
        "report_id": REPORT,
        "fact_id": fact.fact_id,
        "value": "1",
        "action": "edit",
        "reason": "x",
    }
    _manual(folder, [row, {**row, "value": "2"}])
    with pytest.raises(DatasetError, match=r"第 3 行：与第 2 行修正的是同一条数据"):
        load_dataset(folder)


def test_manual_xlsx_with_chinese_headers(folder):
    fact = _facts(folder).iloc[0]
    frame = pd.DataFrame(
        [
            {
                "报告编号": REPORT,
                "数据编号": fact.fact_id,
                "数值": 7,
                "操作": "修改",
                "修正原因": "核对原件",
            }
        ]
    )
    frame.to_excel(folder / "manual.xlsx", index=False)
    assert _fact(load_dataset(folder), fact.fact_id)["value"] == 7
    frame["数值"] = ["七"]
    frame.to_excel(folder / "manual.xlsx", index=False)
    with pytest.raises(DatasetError, match=r"manual.xlsx: 第 2 行，列 数值：'七' 不是数字"):
        load_dataset(folder)


def test_manual_csv_and_xlsx_together_is_an_error(folder):
    _manual(folder, [], columns=["report_id", "fact_id", "action", "reason"])
    pd.DataFrame(columns=["report_id", "fact_id", "action", "reason"]).to_excel(
        folder / "manual.xlsx", index=False
    )
    with pytest.raises(DatasetError, match=r"同时有 manual\.csv 和 manual\.xlsx"):
        load_dataset(folder)


# --- Excel export -------------------------------------------------------------------------------


def test_export_has_a_readable_sheet_per_table(folder, tmp_path, capsys):
    out = tmp_path / "导出.xlsx"
    assert main(["export", "--dataset", str(folder), "--xlsx", str(out)]) == 0
    assert "import-corrections" in capsys.readouterr().out
    book = load_workbook(out)
    assert book.sheetnames[:3] == ["数据", "报告", "章节"] and "说明" in book.sheetnames
    assert book[BASELINE_SHEET].sheet_state == "veryHidden"
    dataset = load_dataset(folder)
    for title, n in (("数据", len(dataset.facts)), ("报告", 12), ("章节", len(dataset.sections))):
        sheet = book[title]
        assert sheet.freeze_panes == "A2" and sheet.max_row == n + 1
        assert sheet.auto_filter.ref
    facts = book["数据"]
    headers = [c.value for c in facts[1]]
    assert headers[:8] == [
        "报告编号",
        "数据编号",
        "部分",
        "章节",
        "维度",
        "指标编号",
        "事项",
        "数值",
    ]
    assert "修正原因" in headers and "原文句子" in headers
    assert [c.value for c in book["报告"][1]][:5] == ["报告编号", "区县", "单位", "层级", "年度"]
    row = {h: c.value for h, c in zip(headers, facts[2], strict=True)}
    assert row["部分"] == "主要举措和成效" and row["来源"] == "报告摘录"
    assert row["类型"] in ("成效", "目标", "现状", "构成")
    assert isinstance(row["数值"], int | float)
    widths = {k: v.width for k, v in facts.column_dimensions.items()}
    assert widths["A"] >= 18  # 示例区/东湖镇/2021
    assert max(widths.values()) <= 60


def _edit_export(path, edits, delete_ids=(), additions=()):
    """Change an exported workbook the way an analyst would in Excel, and save it."""
    book = load_workbook(path)
    sheet = book["数据"]
    headers = {c.value: i + 1 for i, c in enumerate(sheet[1])}
    rows = {
        sheet.cell(row=r, column=headers["数据编号"]).value: r for r in range(2, sheet.max_row + 1)
    }
    for fact_id, changes in edits.items():
        for header, value in changes.items():
            sheet.cell(row=rows[fact_id], column=headers[header]).value = value
    for fact_id in sorted((rows[f] for f in delete_ids), reverse=True):
        sheet.delete_rows(fact_id)
    for addition in additions:
        row = sheet.max_row + 1
        for header, value in addition.items():
            sheet.cell(row=row, column=headers[header]).value = value
    book.save(path)


@pytest.mark.slow
def test_reimporting_a_corrected_export_keeps_every_correction(folder, tmp_path, capsys):
    out = tmp_path / "导出.xlsx"
    export_xlsx(load_dataset(folder), out)
    facts = _facts(folder)
    a, b, c, d = (facts.loc[i] for i in (0, 1, 2, 3))
    with_indicator = facts.dropna(subset=["indicator"]).iloc[4]
    _edit_export(
        out,
        {
            a.fact_id: {"数值": 125, "修正原因": "以台账为准"},
            b.fact_id: {"事项": "改正后的事项", "计量单位": "件"},
            c.fact_id: {"类型": "目标", "限定": "不少于"},
            with_indicator.fact_id: {"指标编号": None},
        },
        delete_ids=[d.fact_id],
        additions=[
            {
                "报告编号": REPORT,
                "事项": "新建调解室",
                "数值": 3,
                "计量单位": "个",
                "修正原因": "报告漏报",
            }
        ],
    )
    assert main(["import-corrections", str(out), "--dataset", str(folder)]) == 0
    assert "修改 4 条、新增 1 条、删除 1 条" in capsys.readouterr().out

    def check(dataset):
        assert _fact(dataset, a.fact_id)["value"] == 125
        assert _fact(dataset, b.fact_id)["subject"] == "改正后的事项"
        assert _fact(dataset, b.fact_id)["measure"] == "件"
        assert _fact(dataset, c.fact_id)["kind"] == "target"
        assert _fact(dataset, c.fact_id)["qualifier"] == "at_least"
        assert pd.isna(_fact(dataset, with_indicator.fact_id)["indicator"])
        assert _fact(dataset, d.fact_id) is None
        added = dataset.facts[dataset.facts["subject"] == "新建调解室"]
        assert added["value"].tolist() == [3] and added["origin"].tolist() == ["manual"]
        for fact_id in (a.fact_id, b.fact_id, c.fact_id, with_indicator.fact_id):
            assert _fact(dataset, fact_id)["origin"] == "manual"
        assert dataset.unapplied_corrections.empty

    dataset = load_dataset(folder)
    check(dataset)
    manual = read_csv(folder / "manual.csv")
    assert manual.loc[manual["fact_id"] == a.fact_id, "reason"].tolist() == ["以台账为准"]
    assert set(manual["action"]) == {"edit", "add", "delete"}
    # the same workbook again changes nothing
    before = table_bytes(folder)
    assert main(["import-corrections", str(out), "--dataset", str(folder)]) == 0
    assert "已全部在人工修正文件中" in capsys.readouterr().out
    assert table_bytes(folder) == before
    # a fresh export shows the corrections; re-importing it untouched changes nothing
    again = tmp_path / "再导出.xlsx"
    export_xlsx(dataset, again)
    assert main(["import-corrections", str(again), "--dataset", str(folder)]) == 0
    assert "没有新的修正" in capsys.readouterr().out
    assert table_bytes(folder) == before
    # editing the fresh export again updates the same correction
    _edit_export(again, {a.fact_id: {"数值": 126}})
    import_corrections(again, folder)
    check_manual = read_csv(folder / "manual.csv")
    assert (check_manual["fact_id"] == a.fact_id).sum() == 1
    assert _fact(load_dataset(folder), a.fact_id)["value"] == 126


@pytest.mark.slow
def test_corrections_from_excel_survive_reimporting_the_reports(tmp_path):
    folder = tmp_path / "ds"
    reports = [demo_report("东湖镇", 2021), demo_report("东湖镇", 2022)]
    import_reports(reports, folder)
    out = tmp_path / "导出.xlsx"
    export_xlsx(load_dataset(folder), out)
    fact = _facts(folder).iloc[0]
    _edit_export(out, {fact.fact_id: {"数值": 999}})
    import_corrections(out, folder)
    import_reports(reports, folder, force=True)
    assert _fact(load_dataset(folder), fact.fact_id)["value"] == 999


@pytest.mark.slow
def test_reverting_an_edit_in_excel_removes_the_correction(folder, tmp_path):
    fact = _facts(folder).iloc[0]
    out = tmp_path / "导出.xlsx"
    export_xlsx(load_dataset(folder), out)
    _edit_export(out, {fact.fact_id: {"数值": 1}})
    import_corrections(out, folder)
    export_xlsx(load_dataset(folder), out)
    _edit_export(out, {fact.fact_id: {"数值": float(fact.value)}})
    import_corrections(out, folder)
    assert read_csv(folder / "manual.csv").empty
    assert _fact(load_dataset(folder), fact.fact_id)["origin"] == "extracted"


@pytest.mark.slow
def test_a_bad_cell_in_the_edited_workbook_is_named(folder, tmp_path):
    fact = _facts(folder).iloc[0]
    out = tmp_path / "导出.xlsx"
    export_xlsx(load_dataset(folder), out)
    _edit_export(out, {fact.fact_id: {"数值": "很多", "类型": "承诺"}})
    with pytest.raises(DatasetError) as info:
        import_corrections(out, folder)
    message = str(info.value)
    assert f"{out}（工作表 数据）: 第 2 行，列 数值：'很多' 不是数字" in message
    assert f"{out}（工作表 数据）: 第 2 行，列 类型：未知取值 '承诺'" in message
    assert not (folder / "manual.csv").exists()


def test_import_table_points_an_export_to_import_corrections(folder, tmp_path, capsys):
    out = tmp_path / "导出.xlsx"
    export_xlsx(load_dataset(folder), out)
    assert main(["import-table", str(out), "--dataset", str(folder), "--year", "2021"]) == 2
    assert "lawnb import-corrections" in capsys.readouterr().err


def test_a_negative_value_in_a_values_only_correction_is_refused(folder):
    fact = _facts(folder).iloc[0]
    _manual(
        folder,
        [
            {
                "report_id": REPORT,
                "fact_id": fact.fact_id,
                "value": "-4",
                "action": "edit",
                "reason": "x",
            }
        ],
    )
    with pytest.raises(DatasetError, match=r"manual\.csv: 第 2 行，列 value：数量不能为负数（-4）"):
        load_dataset(folder)
