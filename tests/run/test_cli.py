"""Tests of lawnb.cli: clear errors (no traceback, exit 2) for what a user gets wrong, the
command installed, ``python -m lawnb.cli``, ``--version``.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from lawnb.cli import main


def _params(tmp_path, body: str):
    (tmp_path / "params").mkdir(exist_ok=True)
    file = tmp_path / "params" / "2020.yaml"
    file.write_text(body, encoding="utf-8")
    return file


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


def test_version_is_printed(capsys):
    import lawnb

    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"lawnb {lawnb.__version__}"
