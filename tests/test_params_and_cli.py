"""Params files and the CLI: clear errors (no traceback, exit 2) for what a user gets wrong."""

from __future__ import annotations

import subprocess
import sys

import pytest

from lawnb.cli import main
from lawnb.errors import ParamsError
from lawnb.params import plan_from_params, validate_notebook_parameters


def _params(tmp_path, body: str):
    (tmp_path / "params").mkdir(exist_ok=True)
    file = tmp_path / "params" / "2020.yaml"
    file.write_text(body, encoding="utf-8")
    return file


def test_the_committed_params_plan_the_founding_report(repo_root):
    plan = plan_from_params(repo_root / "params" / "2020.yaml")
    assert (plan.year, plan.units) == (2020, ["齐村镇"])
    assert plan.notebooks == ["annual_report", "district_overview"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("year: 2020\nunits: [东湖镇]\n", "没有单位“东湖镇”.*已有单位：齐村镇"),
        ("year: 2019\nunits: [齐村镇]\n", "没有“齐村镇”2019年的报告"),
        ("year: 2020\nunits: [齐村镇\n", "第 3 行.*不是有效的 YAML"),
        ("year: 二〇二〇\n", "year 应为四位数的年度"),
        ("year: 2020\nunits: [../etc]\n", "含有路径符号"),
        ("year: 2020\ncolour: red\n", "未知的参数 colour"),
        ("year: 2020\ndataset: no/such/folder\n", "dataset 无法加载.*不存在"),
        ("- just\n- a list\n", "映射"),
    ],
)
def test_bad_params_name_the_file_and_the_fix(tmp_path, body, message):
    file = _params(tmp_path, body)
    with pytest.raises(ParamsError, match=message) as info:
        plan_from_params(file)
    assert str(file) in str(info.value)


@pytest.mark.parametrize(
    ("unit", "year", "dataset", "message"),
    [
        ("齐村镇", "2020", "", "year 应为整数"),
        (42, 2020, "", "unit 应为单位名称"),
        ("东湖镇", 2020, "", "没有单位“东湖镇”"),
        ("齐村镇", 2020, "/no/such/dataset", "dataset"),
    ],
)
def test_notebook_parameters_are_validated(unit, year, dataset, message):
    with pytest.raises(ParamsError, match=message):
        validate_notebook_parameters(unit, year, dataset)


def test_cli_missing_report_file_is_a_message_not_a_traceback(tmp_path, capsys):
    code = main(["import", str(tmp_path / "missing.txt"), "--dataset", str(tmp_path / "ds")])
    err = capsys.readouterr().err
    assert code == 2
    assert "missing.txt" in err and "不存在" in err and "Traceback" not in err
    assert not (tmp_path / "ds").exists()


def test_cli_invalid_params_yaml_exits_2(tmp_path, capsys):
    file = _params(tmp_path, "year: [2020\n")
    code = main(["run", "--params", str(file), "--no-progress"])
    err = capsys.readouterr().err
    assert code == 2 and "不是有效的 YAML" in err and str(file) in err


def test_cli_unknown_unit_exits_2(repo_root, capsys):
    code = main(
        [
            "run",
            "--params",
            str(repo_root / "params" / "2020.yaml"),
            "--unit",
            "不存在镇",
            "--no-progress",
        ]
    )
    assert code == 2
    assert "不存在镇" in capsys.readouterr().err


def test_cli_check_and_import(tmp_path, founding_report, capsys):
    assert main(["import", str(founding_report), "--dataset", str(tmp_path / "ds")]) == 0
    assert "已导入 1 份报告" in capsys.readouterr().out
    assert main(["check", "--dataset", str(tmp_path / "ds")]) == 0
    assert "数据集有效" in capsys.readouterr().out


def test_console_script_is_installed():
    result = subprocess.run(
        [sys.executable, "-m", "lawnb.cli", "--help"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0 and "import" in result.stdout and "run" in result.stdout
