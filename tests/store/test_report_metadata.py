"""Reports' metadata: provenance columns, guessed-field warnings, `lawnb reports`, identity by content.

Every report here is fictional and written for these tests (青禾镇, 溪山区 and their figures are
invented).
"""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest
from dataset_helpers import edit_csv, read_csv, table_bytes, write_csv

from lawnb.cli import main
from lawnb.present import views
from lawnb.store.importing.reports import import_reports
from lawnb.store.loading import load_dataset
from lawnb.store.report_metadata.fixes import MANUAL_REPORTS
from lawnb.store.report_metadata.provenance import guessed_note

# No title: the unit (and the year) can only be guessed from the opening sentence.
NO_TITLE = """\
青禾镇坚持以习近平法治思想为指导，全面推进法治政府建设，2023年各项工作取得新进展。现将有关情况报告如下。
一、主要举措和成效
（一）推进严格规范公正文明执法
全年开展行政执法检查126次，办理行政处罚案件38件。
（二）化解矛盾纠纷
全镇调解矛盾纠纷215件，调解成功率达98%。
二、存在的不足及原因
执法人员专业能力有待提升，部分村居法治宣传形式单一。
三、下一年度工作安排
计划开展法治培训不少于6场。
"""

# A second fictional report, given its metadata on the command line (nothing guessed).
OTHER = """\
云岭乡人民政府关于2023年度法治政府建设情况的报告
一、主要举措和成效
全年开展法治宣传活动42场，发放宣传资料3600份。
二、存在的不足及原因
基层法治力量仍然薄弱。
三、下一年度工作安排
计划新建法治文化阵地2处。
"""

FIXED_ID = "溪山区/青禾镇/2023"


@pytest.fixture
def report(tmp_path):
    path = tmp_path / "reports" / "青禾镇报告.txt"
    path.parent.mkdir()
    path.write_text(NO_TITLE, encoding="utf-8")
    return path


@pytest.fixture
def other(tmp_path):
    path = tmp_path / "reports" / "云岭乡.txt"
    path.parent.mkdir(exist_ok=True)
    path.write_text(OTHER, encoding="utf-8")
    return path


def _import(capsys, *args):
    code = main(["import", *map(str, args), "--no-progress"])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _reports(folder):
    return read_csv(folder / "reports.csv")


def _guessed_id(folder):
    """The report_id the reader gave the no-title report (no district found: /青禾镇/2023)."""
    (report_id,) = _reports(folder)["report_id"]
    return report_id


def _warnings(err):
    return [line for line in err.splitlines() if line.startswith("警告 (warning)")]


# --- provenance and warnings --------------------------------------------------------------------


def test_import_warns_once_about_a_guessed_unit(tmp_path, capsys, report):
    code, _, err = _import(capsys, report, "--dataset", tmp_path / "ds")
    assert code == 0
    (warning,) = _warnings(err)
    report_id = _guessed_id(tmp_path / "ds")
    assert warning.startswith(f"警告 (warning)：青禾镇报告.txt → {report_id}：")
    assert "单位" in warning and "是推测的（来自 正文开头）" in warning
    assert warning.endswith("请核对；用 lawnb reports set 修正。")
    row = _reports(tmp_path / "ds").iloc[0]
    assert "unit" in row["guessed"].split()
    assert "unit=opening" in row["meta_source"].split()
    assert set(row["meta_source"].split()) >= {"title=none", "unit=opening"}


def test_import_with_everything_given_does_not_warn(tmp_path, capsys, other):
    code, _, err = _import(
        capsys, other, "--dataset", tmp_path / "ds", "--district", "溪山区", "--unit", "云岭乡",
        "--year", "2023",
    )  # fmt: skip
    assert code == 0 and _warnings(err) == []
    row = _reports(tmp_path / "ds").iloc[0]
    assert row["guessed"] == ""
    sources = dict(pair.split("=") for pair in row["meta_source"].split())
    assert {sources[k] for k in ("unit", "district", "year")} == {"override"}


def test_check_lists_guessed_reports_without_failing(tmp_path, capsys, report):
    import_reports([report], tmp_path / "ds")
    assert main(["check", "--dataset", str(tmp_path / "ds")]) == 0
    captured = capsys.readouterr()
    assert "数据集有效" in captured.out
    (warning,) = _warnings(captured.err)
    assert _guessed_id(tmp_path / "ds") in warning and "单位" in warning and "推测" in warning
    assert "lawnb reports set" in warning


def test_guessed_note_names_fields_and_sources_in_chinese():
    sources = {"title": "none", "unit": "opening", "district": "none", "year": "file_name"}
    note = guessed_note(sources, {"unit": "东溪镇", "district": None, "year": 2021})
    assert note == "单位 是推测的（来自 正文开头），年度 是推测的（来自 文件名），区县 未能识别"
    trusted = {"unit": "title", "district": "override", "year": "title"}
    assert guessed_note(trusted, {"unit": "东溪镇", "district": "溪山区", "year": 2021}) == ""


# --- lawnb reports set --------------------------------------------------------------------------


def test_reports_set_fixes_a_guess_and_the_fix_survives_force(tmp_path, capsys, report):
    folder = tmp_path / "ds"
    _import(capsys, report, "--dataset", folder)
    old_id = _guessed_id(folder)
    code = main(["reports", "set", old_id, "--dataset", str(folder), "--district", "溪山区"])
    out = capsys.readouterr().out
    assert code == 0 and f"{old_id} → {FIXED_ID}" in out
    assert main(["reports", "set", FIXED_ID, "--dataset", str(folder), "--confirm"]) == 0
    capsys.readouterr()

    reports = _reports(folder)
    assert reports["report_id"].tolist() == [FIXED_ID] and reports["guessed"].tolist() == [""]
    for table in ("sections", "facts"):
        assert set(read_csv(folder / f"{table}.csv")["report_id"]) == {FIXED_ID}
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert [e["report_id"] for e in manifest["imports"]] == [FIXED_ID]
    fixes_file = folder / MANUAL_REPORTS
    assert fixes_file.read_bytes().startswith(b"\xef\xbb\xbf")
    fixes = read_csv(fixes_file)
    assert fixes["sha256"].tolist() == reports["sha256"].tolist()
    assert fixes[["district", "unit", "year"]].values.tolist() == [["溪山区", "青禾镇", "2023"]]

    assert main(["check", "--dataset", str(folder)]) == 0
    assert _warnings(capsys.readouterr().err) == []

    code, out, err = _import(capsys, report, "--dataset", folder, "--force")
    assert code == 0 and _warnings(err) == []
    assert f"更新 青禾镇报告.txt → {FIXED_ID}" in out
    reports = _reports(folder)
    assert reports["report_id"].tolist() == [FIXED_ID] and reports["guessed"].tolist() == [""]


def test_a_changed_unit_renames_the_report_everywhere_and_corrections_follow(
    tmp_path, capsys, report
):
    folder = tmp_path / "ds"
    import_reports([report], folder, district="溪山区", year=2023)
    facts = load_dataset(folder).facts
    fact_id = facts["fact_id"].iloc[0]
    write_csv(
        pd.DataFrame(
            [
                {
                    "report_id": FIXED_ID,
                    "fact_id": fact_id,
                    "value": "130",
                    "action": "edit",
                    "reason": "核对原件",
                }
            ]
        ),
        folder / "manual.csv",
    )
    code = main(["reports", "set", FIXED_ID, "--dataset", str(folder), "--unit", "青禾乡"])
    out = capsys.readouterr().out
    new_id = "溪山区/青禾乡/2023"
    assert code == 0 and "1 条人工修正已随之改为新的报告编号" in out
    assert read_csv(folder / "manual.csv")["report_id"].tolist() == [new_id]
    dataset = load_dataset(folder)
    assert dataset.unapplied_corrections.empty
    corrected = dataset.facts[dataset.facts["fact_id"] == fact_id].iloc[0]
    assert (corrected["report_id"], corrected["value"], corrected["origin"]) == (
        new_id,
        130,
        "manual",
    )

    import_reports([report], folder, force=True)  # the fix and the correction both hold
    dataset = load_dataset(folder)
    assert dataset.reports["report_id"].tolist() == [new_id]
    assert dataset.unapplied_corrections.empty
    assert (dataset.facts["value"] == 130).sum() == 1


def test_the_fix_follows_the_content_under_another_file_name(tmp_path, capsys, report):
    folder = tmp_path / "ds"
    import_reports([report], folder)
    main(["reports", "set", _guessed_id(folder), "--dataset", str(folder), "--district", "溪山区"])
    copy = tmp_path / "另存为.txt"
    shutil.copy(report, copy)
    code, out, _ = _import(capsys, copy, "--dataset", folder)
    assert code == 0 and f"→ {FIXED_ID}" in out
    assert _reports(folder)["report_id"].tolist() == [FIXED_ID]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["溪山区/青禾镇/2032", "--year", "2024"], "相近的报告编号：溪山区/青禾镇/2023"),
        (["溪山区/青禾镇/2023", "--level", "村"], "层级 (level) '村' 未知"),
        (["溪山区/青禾镇/2023", "--year", "1899"], "1990–2100"),
        (["溪山区/青禾镇/2023", "--year", "二〇二三"], "1990–2100"),
        (["溪山区/青禾镇/2023", "--unit", "../青禾镇"], "路径符号"),
        (["溪山区/青禾镇/2023", "--district", "溪山区\\x"], "路径符号"),
        (["溪山区/青禾镇/2023", "--title", "一行\n两行"], "换行"),
        (["溪山区/青禾镇/2023"], "没有要修改的内容"),
        (["溪山区/青禾镇/2023", "--unit", "云岭乡"], "已有报告 溪山区/云岭乡/2023"),
    ],
)
def test_bad_reports_set_exits_2_with_a_message(tmp_path, capsys, report, other, args, message):
    folder = tmp_path / "ds"
    import_reports([report, other], folder, district="溪山区", year=2023)
    import_reports([other], folder, district="溪山区", unit="云岭乡", year=2023)
    before = table_bytes(folder)
    code = main(["reports", "set", *args, "--dataset", str(folder)])
    err = capsys.readouterr().err
    assert code == 2, err
    assert err.startswith("错误 (error): ") and message in err and "Traceback" not in err
    assert table_bytes(folder) == before


def test_unknown_report_id_names_the_dataset(tmp_path, capsys, report):
    folder = tmp_path / "ds"
    import_reports([report], folder, district="溪山区")
    assert main(["reports", "remove", "溪山区/青禾/2023", "--dataset", str(folder)]) == 2
    err = capsys.readouterr().err
    assert str(folder) in err and "没有报告编号“溪山区/青禾/2023”" in err and FIXED_ID in err


def test_reports_list_prints_one_row_per_report(tmp_path, capsys, report, other):
    folder = tmp_path / "ds"
    import_reports([report], folder)
    guessed_id = _guessed_id(folder)
    import_reports([other], folder, district="溪山区", unit="云岭乡", year=2023)
    assert main(["reports", "list", "--dataset", str(folder)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split("\t") == [
        "report_id", "unit", "district", "level", "year", "title", "guessed",
    ]  # fmt: skip
    rows = {line.split("\t")[0]: line.split("\t") for line in lines[1:]}
    assert set(rows) == {guessed_id, "溪山区/云岭乡/2023"}
    assert rows[guessed_id][1] == "青禾镇" and "unit" in rows[guessed_id][6].split()
    assert rows["溪山区/云岭乡/2023"][6] == ""


# --- lawnb reports remove -----------------------------------------------------------------------


def test_reports_remove_takes_the_report_out_of_every_table(tmp_path, capsys, report, other):
    folder = tmp_path / "ds"
    import_reports([report, other], folder, district="溪山区", year=2023)
    import_reports([other], folder, district="溪山区", unit="云岭乡", year=2023)
    facts = load_dataset(folder).facts
    mine = facts[facts["report_id"] == FIXED_ID]["fact_id"].iloc[0]
    theirs = facts[facts["report_id"] == "溪山区/云岭乡/2023"]["fact_id"].iloc[0]
    write_csv(
        pd.DataFrame(
            [
                {
                    "report_id": FIXED_ID,
                    "fact_id": mine,
                    "value": "1",
                    "action": "edit",
                    "reason": "核对",
                },
                {
                    "report_id": "溪山区/云岭乡/2023",
                    "fact_id": theirs,
                    "value": "2",
                    "action": "edit",
                    "reason": "核对",
                },
            ]
        ),
        folder / "manual.csv",
    )
    sha = _reports(folder).set_index("report_id").at[FIXED_ID, "sha256"]
    assert sha in read_csv(folder / MANUAL_REPORTS)["sha256"].tolist()

    assert main(["reports", "remove", FIXED_ID, "--dataset", str(folder)]) == 0
    out = capsys.readouterr().out
    assert f"已删除报告 {FIXED_ID}" in out and "1 条人工修正" in out
    for table in ("reports", "sections", "facts"):
        assert set(read_csv(folder / f"{table}.csv")["report_id"]) == {"溪山区/云岭乡/2023"}
    assert read_csv(folder / "manual.csv")["report_id"].tolist() == ["溪山区/云岭乡/2023"]
    assert sha not in read_csv(folder / MANUAL_REPORTS)["sha256"].tolist()
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert FIXED_ID not in [e["report_id"] for e in manifest["imports"]]
    dataset = load_dataset(folder)
    assert dataset.unapplied_corrections.empty and len(dataset.reports) == 1

    code, out, _ = _import(capsys, report, "--dataset", folder)  # imported afresh, not skipped
    assert code == 0 and "新增 青禾镇报告.txt" in out


# --- identity by content ------------------------------------------------------------------------


def test_reimport_with_other_metadata_replaces_the_report(tmp_path, capsys, report):
    folder = tmp_path / "ds"
    _import(capsys, report, "--dataset", folder)
    old_id = _guessed_id(folder)
    code, out, err = _import(capsys, report, "--dataset", folder, "--district", "溪山区")
    assert code == 0
    (warning,) = _warnings(err)  # the unit is still a guess; the district no longer is
    assert FIXED_ID in warning and "单位" in warning and "区县" not in warning
    assert f"更新 青禾镇报告.txt → {FIXED_ID}（取代同一原文的 {old_id}）" in out
    for table in ("reports", "sections", "facts"):
        assert set(read_csv(folder / f"{table}.csv")["report_id"]) == {FIXED_ID}
    assert main(["check", "--dataset", str(folder)]) == 0
    # the district given is recorded: a later plain re-import keeps it
    _import(capsys, report, "--dataset", folder, "--force")
    assert _reports(folder)["report_id"].tolist() == [FIXED_ID]


def test_check_flags_two_reports_of_one_source(tmp_path, capsys, report, other):
    folder = tmp_path / "ds"
    import_reports([report, other], folder, district="溪山区", year=2023)
    import_reports([other], folder, district="溪山区", unit="云岭乡", year=2023)
    assert main(["check", "--dataset", str(folder)]) == 0
    capsys.readouterr()

    def duplicate(frame):  # a copy of the same source under another report_id, as before
        copy = frame[frame["report_id"] == FIXED_ID].copy()
        copy["report_id"], copy["unit"] = "溪山区/青禾乡/2023", "青禾乡"
        return pd.concat([frame, copy])

    edit_csv(folder / "reports.csv", duplicate)
    assert main(["check", "--dataset", str(folder)]) == 1
    err = capsys.readouterr().err
    (problem,) = [line for line in err.splitlines() if line.startswith("问题 (problem)")]
    assert FIXED_ID in problem and "溪山区/青禾乡/2023" in problem and "同一原文" in problem
    assert "lawnb reports remove" in problem
    assert load_dataset(folder) is not None  # still loads: notebooks can run
    assert main(["reports", "remove", "溪山区/青禾乡/2023", "--dataset", str(folder)]) == 0
    assert main(["check", "--dataset", str(folder)]) == 0


# --- older datasets, the fixes file -------------------------------------------------------------


def test_a_dataset_saved_without_the_new_columns_still_loads(tmp_path, capsys, report):
    folder = tmp_path / "ds"
    import_reports([report], folder)
    edit_csv(folder / "reports.csv", lambda f: f.drop(columns=["meta_source", "guessed"]))
    dataset = load_dataset(folder)
    assert dataset.reports[["meta_source", "guessed"]].isna().all().all()
    assert main(["check", "--dataset", str(folder)]) == 0
    assert _warnings(capsys.readouterr().err) == []  # nothing known, nothing claimed
    assert views.guessed_sentence(dataset.reports.iloc[0]) == ""
    report_id = dataset.reports["report_id"].iloc[0]
    assert (
        main(["reports", "set", report_id, "--dataset", str(folder), "--district", "溪山区"]) == 0
    )
    row = _reports(folder).iloc[0]
    assert (row["report_id"], row["meta_source"], row["guessed"]) == (
        FIXED_ID,
        "district=override",
        "",
    )


def test_bundled_datasets_load_with_the_new_columns():
    for name in ("sample", "demo"):
        reports = load_dataset(name).reports
        assert {"meta_source", "guessed"} <= set(reports.columns)


def test_a_bad_fixes_file_is_a_validation_problem(tmp_path, capsys, report):
    folder = tmp_path / "ds"
    import_reports([report], folder, district="溪山区")
    edit_csv(folder / MANUAL_REPORTS, lambda f: f.assign(year="3023", level="村"))
    assert main(["check", "--dataset", str(folder)]) == 2
    err = capsys.readouterr().err
    assert f"{MANUAL_REPORTS}: 第 2 行，列 level：未知取值 '村'" in err
    assert f"{MANUAL_REPORTS}: 第 2 行，列 year：年度 3023 超出范围" in err


def test_import_table_rows_say_their_metadata_was_given(tmp_path, report):
    folder = tmp_path / "ds"
    import_reports([report], folder, district="溪山区")
    table = tmp_path / "青禾镇历年.csv"
    table.write_text("指标,2022,2023\n行政处罚案件（件）,30,38\n", encoding="utf-8-sig")
    main(["import-table", str(table), "--dataset", str(folder), "--unit", "青禾镇"])
    rows = _reports(folder).set_index("report_id")
    made = rows.loc["溪山区/青禾镇/2022"]
    sources = dict(pair.split("=") for pair in made["meta_source"].split())
    assert (sources["unit"], sources["year"], sources["district"]) == (
        "override",
        "override",
        "override",
    )
    assert made["guessed"] == ""


# --- the annual report page ---------------------------------------------------------------------


def test_page_header_says_when_metadata_was_guessed(tmp_path, report):
    folder = tmp_path / "ds"
    import_reports([report], folder)
    view = views.annual_view(load_dataset(folder), "青禾镇", 2023)
    heading = views.heading_md(view)
    assert "本报告的单位" in heading and "是从正文推测的" in heading and "尚未核对。" in heading

    main(["reports", "set", _guessed_id(folder), "--dataset", str(folder), "--confirm"])
    view = views.annual_view(load_dataset(folder), "青禾镇", 2023)
    assert "推测" not in views.heading_md(view) and view.metadata_note == ""


def test_page_sentence_wording():
    row = {
        "guessed": "unit year",
        "meta_source": "title=none unit=opening district=title level=opening year=opening",
        "unit": "东溪镇",
        "district": "溪山区",
        "year": 2023,
    }
    assert views.guessed_sentence(row) == "本报告的单位、年度是从正文推测的，尚未核对。"
    row.update(guessed="district", meta_source="unit=title district=none year=title", district=None)
    assert views.guessed_sentence(row) == "本报告的区县未能识别，尚未核对。"
    assert views.guessed_sentence({**row, "guessed": None}) == ""


def test_no_district_is_a_fix_that_holds_too(tmp_path, capsys, report):
    folder = tmp_path / "ds"
    import_reports([report], folder, district="溪山区", year=2023)
    assert main(["reports", "set", FIXED_ID, "--dataset", str(folder), "--district", ""]) == 0
    assert read_csv(folder / MANUAL_REPORTS)["district"].tolist() == ["（空）"]
    import_reports([report], folder, force=True)
    row = _reports(folder).iloc[0]
    assert row["report_id"] == "/青禾镇/2023" and "district" not in row["guessed"].split()
    capsys.readouterr()
    main(["reports", "set", "/青禾镇/2023", "--dataset", str(folder), "--confirm"])
    main(["reports", "set", "/青禾镇/2023", "--dataset", str(folder), "--confirm"])
    assert "没有推测的字段需要确认，数据集未改动" in capsys.readouterr().out
