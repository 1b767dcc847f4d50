"""Validation: each kind of broken file gives a message naming the file, line and column.

``lawnb check`` lists every problem and exits 2; ``load_dataset`` refuses the dataset with the
same messages.
"""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest
from dataset_helpers import demo_copy, edit_csv, read_csv, write_csv

from lawnb.cli import main
from lawnb.errors import DatasetError, LawnbError
from lawnb.schema import FACT_COLUMNS
from lawnb.store.loading import check_dataset, load_dataset
from lawnb.store.validation import DatasetValidationError


@pytest.fixture
def folder(tmp_path):
    return demo_copy(tmp_path)


def _set(folder, table, row, column, value):
    def change(frame):
        frame.loc[row, column] = value

    edit_csv(folder / f"{table}.csv", change)


def _problems(folder):
    with pytest.raises(DatasetValidationError) as info:
        load_dataset(folder)
    return info.value


def _refused(folder, pattern):
    """load_dataset refuses with the pattern; lawnb check prints it and exits 2."""
    error = _problems(folder)
    assert re.search(pattern, str(error)), str(error)
    assert isinstance(error, DatasetError) and isinstance(error, LawnbError)
    return error


BACKSLASH, TAB = "示例区\\x", "东湖\t镇"
CELL_CASES = [
    # (table, row, column, value, expected message after "第 N 行，列 C：")
    ("facts", 0, "value", "很多", "'很多' 不是数字。请改为数字"),
    ("facts", 3, "value", "12件", "'12件' 不是数字"),
    ("facts", 1, "value", "-3", "数量不能为负数（-3 "),
    ("facts", 2, "start", "-5", "-5 是负数。请改为 0 或正数"),
    ("facts", 2, "end", "4.5", "'4.5' 不是整数"),
    ("sections", 1, "level", "x", "'x' 不是数字"),
    ("reports", 0, "year", "1989", "年度 1989 超出范围（1990–2100）"),
    ("reports", 1, "year", "2101", "年度 2101 超出范围"),
    ("reports", 2, "n_chars", "-1", "-1 是负数"),
    (
        "facts",
        4,
        "part",
        "achievements",
        "未知取值 'achievements'。可用取值：measures, shortcomings",
    ),
    ("sections", 0, "part", "措施", "未知取值 '措施'"),
    ("facts", 0, "dimension", "law", "未知取值 'law'。可用取值：functions"),
    ("sections", 2, "dimension", "法治社会", "未知取值 '法治社会'"),
    ("facts", 5, "kind", "promise", "未知取值 'promise'。可用取值：achievement, target"),
    ("facts", 6, "qualifier", "roughly", "未知取值 'roughly'。可用取值：exact, approx"),
    ("facts", 7, "origin", "typed", "未知取值 'typed'。可用取值：extracted, derived, manual"),
    (
        "facts",
        8,
        "indicator",
        "enforcement.penalty_case",
        "未知指标编号 'enforcement.penalty_case'（不在指标目录 lawnb/rules/catalog.yaml 中）。"
        "是否应为 enforcement.penalty_cases？",
    ),
    ("facts", 9, "indicator", "made.up", "未知指标编号 'made.up'"),
    (
        "facts",
        1,
        "report_id",
        "示例区/东湖镇/2020",
        "报告编号 '示例区/东湖镇/2020' 在 reports.csv 中不存在",
    ),
    (
        "sections",
        3,
        "report_id",
        "示例区/无名镇/2021",
        "报告编号 '示例区/无名镇/2021' 在 reports.csv 中不存在",
    ),
    ("facts", 2, "subject", "", "不能为空。请填写"),
    ("facts", 3, "value", "1e15", "1e15 大得不合理（超过 1,000,000,000）"),
    ("reports", 0, "unit", "../../逃逸镇", "名称 '../../逃逸镇' 含有路径符号"),
    ("reports", 1, "district", BACKSLASH, f"名称 {BACKSLASH!r} 含有路径符号"),
    ("reports", 2, "unit", TAB, f"名称 {TAB!r} 含有控制字符 U+0009"),
    ("reports", 0, "unit", "", "不能为空"),
]


@pytest.mark.parametrize(("table", "row", "column", "value", "message"), CELL_CASES)
def test_a_bad_cell_is_named_by_file_line_and_column(folder, table, row, column, value, message):
    _set(folder, table, row, column, value)
    where = f"{folder / f'{table}.csv'}: 第 {row + 2} 行，列 {column}："
    error = _refused(folder, re.escape(where + message))
    assert len(error.problems) >= 1


def test_a_negative_rate_is_allowed(folder):
    facts = read_csv(folder / "facts.csv")
    row = facts.index[facts["measure"] == "%"][0]
    _set(folder, "facts", row, "value", "-2.5")
    assert load_dataset(folder).facts.loc[row, "value"] == -2.5


def test_missing_and_unknown_columns_are_named(folder):
    edit_csv(folder / "reports.csv", lambda f: f.drop(columns=["unit"]).assign(extra="x"))
    _refused(
        folder,
        re.escape(f"{folder / 'reports.csv'}: 列不符合要求。缺少列：unit。未知列：extra。应有列："),
    )


def test_a_missing_table_is_named(folder):
    (folder / "sections.csv").unlink()
    _refused(folder, re.escape(f"{folder / 'sections.csv'}: 缺少数据表 sections.csv"))


def test_duplicate_fact_ids_name_the_first_row(folder):
    def change(frame):
        frame.loc[5, "fact_id"] = frame.loc[2, "fact_id"]
        frame.loc[5, "report_id"] = frame.loc[2, "report_id"]

    edit_csv(folder / "facts.csv", change)
    _refused(
        folder,
        re.escape(
            f"{folder / 'facts.csv'}: 第 7 行，列 fact_id：与第 4 行的报告编号和 fact_id 相同"
        ),
    )


def test_identical_rows_are_duplicates(folder):
    def change(frame):
        copy = frame.loc[[3]].assign(fact_id="Fcopy")
        return pd.concat([frame, copy], ignore_index=True)

    edit_csv(folder / "facts.csv", change)
    n = len(read_csv(folder / "facts.csv"))
    _refused(
        folder,
        re.escape(f"{folder / 'facts.csv'}: 第 {n + 1} 行：与第 5 行内容完全相同（重复数据）"),
    )


def test_a_fully_identical_row_is_reported_once(folder):
    edit_csv(folder / "facts.csv", lambda f: pd.concat([f, f.loc[[0]]], ignore_index=True))
    error = _problems(folder)
    assert len(error.problems) == 1 and "内容完全相同" in str(error.problems[0])


def test_duplicate_reports_are_named(folder):
    edit_csv(folder / "reports.csv", lambda f: pd.concat([f, f.loc[[1]]], ignore_index=True))
    _refused(
        folder,
        re.escape(f"{folder / 'reports.csv'}: 第 14 行，列 report_id：报告编号与第 3 行相同"),
    )


def test_line_numbers_count_lines_inside_quoted_cells(folder):
    def change(frame):
        frame.loc[0, "sentence"] = "第一行\n第二行\n第三行"
        frame.loc[1, "value"] = "很多"

    edit_csv(folder / "facts.csv", change)
    _refused(folder, re.escape(f"{folder / 'facts.csv'}: 第 5 行，列 value：'很多' 不是数字"))


def test_a_row_with_too_many_fields_is_named(folder):
    text = (folder / "facts.csv").read_text(encoding="utf-8-sig").splitlines()
    text[3] += ",多余"
    (folder / "facts.csv").write_text("\n".join(text) + "\n", encoding="utf-8-sig")
    n = len(FACT_COLUMNS)
    _refused(
        folder, re.escape(f"{folder / 'facts.csv'}: 第 4 行：有 {n + 1} 个字段，而表头只有 {n} 列")
    )


def test_a_gbk_csv_saved_by_excel_is_read(folder):
    text = (folder / "reports.csv").read_text(encoding="utf-8-sig")
    (folder / "reports.csv").write_bytes(text.encode("gb18030"))
    assert load_dataset(folder).units() == ["东湖镇", "北城街道", "南岭乡", "西山镇"]


def test_a_utf16_or_binary_table_says_what_it_is(folder):
    text = (folder / "facts.csv").read_text(encoding="utf-8-sig")
    (folder / "facts.csv").write_text(text.replace(",", "\t"), encoding="utf-16")
    _refused(folder, re.escape(f"{folder / 'facts.csv'}: 是 UTF-16 编码的“Unicode 文本”"))
    (folder / "facts.csv").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    _refused(folder, re.escape(f"{folder / 'facts.csv'}: 不是文本文件"))


def test_every_problem_is_collected_and_check_prints_them_all(folder, capsys):
    _set(folder, "facts", 0, "value", "很多")
    _set(folder, "facts", 1, "kind", "promise")
    _set(folder, "sections", 0, "part", "措施")
    _set(folder, "reports", 0, "year", "3000")
    error = _problems(folder)
    assert len(error.problems) == 4
    assert main(["check", "--dataset", str(folder)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    for problem in error.problems:  # the same messages as load_dataset's
        assert str(problem) in err
        assert str(problem) in str(error)
    assert "共 4 处错误" in err
    _, problems = check_dataset(folder)
    assert [str(p) for p in problems] == [str(p) for p in error.problems]


def test_a_long_list_is_shortened_in_the_exception_but_not_in_check(folder, capsys):
    edit_csv(folder / "facts.csv", lambda f: f.assign(value="很多"))
    error = _problems(folder)
    assert len(error.problems) == len(read_csv(folder / "facts.csv"))
    assert "另有" in str(error) and "lawnb check" in str(error)
    assert main(["check", "--dataset", str(folder)]) == 2
    assert capsys.readouterr().err.count("不是数字") == len(error.problems)


def test_check_of_a_valid_dataset_exits_0(folder, capsys):
    assert main(["check", "--dataset", str(folder)]) == 0
    assert "数据集有效" in capsys.readouterr().out


def test_a_broken_manifest_is_named(folder):
    (folder / "manifest.json").write_text("{", encoding="utf-8")
    with pytest.raises(DatasetError, match=r"manifest.json: 清单文件损坏"):
        load_dataset(folder)


def test_bad_values_in_a_hand_written_csv_without_bom(folder):
    frame = read_csv(folder / "facts.csv")
    frame.loc[0, "qualifier"] = "about"
    frame.to_csv(folder / "facts.csv", index=False, encoding="utf-8")
    _refused(folder, "第 2 行，列 qualifier：未知取值 'about'")


def test_write_csv_helper_writes_bom(folder):
    write_csv(read_csv(folder / "facts.csv"), folder / "facts.csv")
    assert (folder / "facts.csv").read_bytes().startswith(b"\xef\xbb\xbf")


# --- tables saved and validated by this lawnb version are not validated again on load ---------


def _no_validation(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("validated again")

    monkeypatch.setattr("lawnb.store.loading.validate_text_table", refuse)


def test_an_unchanged_saved_dataset_loads_without_validating_again(folder, monkeypatch):
    _no_validation(monkeypatch)
    assert load_dataset(folder).units() == ["东湖镇", "北城街道", "南岭乡", "西山镇"]


def test_lawnb_check_always_validates(folder, monkeypatch):
    _no_validation(monkeypatch)
    with pytest.raises(AssertionError, match="validated again"):
        main(["check", "--dataset", str(folder)])


def test_an_edited_table_is_validated_although_the_manifest_vouches_for_it(folder):
    text = (folder / "facts.csv").read_text(encoding="utf-8-sig")
    first_value = text.splitlines()[1].split(",")[
        read_csv(folder / "facts.csv").columns.get_loc("value")
    ]
    (folder / "facts.csv").write_text(
        text.replace(f",{first_value},", ",很多,", 1), encoding="utf-8-sig"
    )
    _refused(folder, r"facts\.csv: 第 2 行，列 value：'很多' 不是数字")


@pytest.mark.parametrize("field", ["lawnb_version", "schema_version"])
def test_tables_saved_by_another_version_are_validated(folder, monkeypatch, field):
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["validated"][field] = "0.0.0-other"
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    _no_validation(monkeypatch)
    with pytest.raises(AssertionError, match="validated again"):
        load_dataset(folder)
