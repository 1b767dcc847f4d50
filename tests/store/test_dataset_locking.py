"""Two writers into one dataset folder: the second waits for the first, and nothing is lost."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
from dataset_helpers import demo_report
from filelock import FileLock

from lawnb.cli import main
from lawnb.store.importing.reports import import_reports
from lawnb.store.loading import load_dataset
from lawnb.store.locking import lock_path

# `lawnb import` that says when it has read its reports and then pauses before saving, so that
# another import can start while it still holds (or, without a lock, would not hold) the folder.
SLOW_IMPORT = r"""
import sys, time
import lawnb.store.importing.reports as d
from lawnb.cli import main

real = d._save_import
def slow(*args, **kwargs):
    print("READ", flush=True)
    time.sleep(2.0)
    return real(*args, **kwargs)
d._save_import = slow
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.slow
def test_two_imports_at_once_keep_both_reports(tmp_path):
    folder = tmp_path / "ds"
    import_reports([demo_report("东湖镇", 2021)], folder)
    options = ["--dataset", str(folder), "--no-progress"]
    first = subprocess.Popen(
        [sys.executable, "-c", SLOW_IMPORT, "import", str(demo_report("西山镇", 2021)), *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert first.stdout.readline().strip() == "READ"  # it has loaded the dataset and waits
    second = subprocess.run(
        [sys.executable, "-m", "lawnb.cli", "import", str(demo_report("南岭乡", 2021)), *options],
        capture_output=True,
        text=True,
        timeout=120,
    )
    _, err = first.communicate(timeout=120)
    assert first.returncode == 0, err
    assert second.returncode == 0, second.stderr
    assert load_dataset(folder).units() == ["东湖镇", "南岭乡", "西山镇"]  # neither save lost
    assert "正由另一个进程写入，等待其完成" in second.stderr


def test_a_writer_that_waits_too_long_changes_nothing(tmp_path, capsys, monkeypatch):
    folder = tmp_path / "ds"
    import_reports([demo_report("东湖镇", 2021)], folder)
    before = (folder / "facts.csv").read_bytes()
    monkeypatch.setenv("LAWNB_LOCK_TIMEOUT", "0.3")
    with FileLock(lock_path(folder)):
        started = time.monotonic()
        code = main(["import", str(demo_report("西山镇", 2021)), "--dataset", str(folder)])
        waited = time.monotonic() - started
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    assert "另一个进程写入数据集已超过 0.3 秒，本次未做任何改动" in err
    assert str(lock_path(folder)) in err
    assert 0.3 <= waited < 10
    assert (folder / "facts.csv").read_bytes() == before
    assert main(["import", str(demo_report("西山镇", 2021)), "--dataset", str(folder)]) == 0


def test_the_lock_is_beside_the_folder_and_released_after_each_write(tmp_path):
    folder = tmp_path / "ds"
    import_reports([demo_report("东湖镇", 2021)], folder)
    assert lock_path(folder) == tmp_path / ".ds.lock"
    FileLock(lock_path(folder)).acquire(timeout=0)  # free again: would raise Timeout otherwise


@pytest.mark.parametrize("value", ["abc", "-"])
def test_a_bad_lock_timeout_is_named(tmp_path, capsys, monkeypatch, value):
    folder = tmp_path / "ds"
    import_reports([demo_report("东湖镇", 2021)], folder)
    monkeypatch.setenv("LAWNB_LOCK_TIMEOUT", value)
    with FileLock(lock_path(folder)):
        code = main(["import", str(demo_report("西山镇", 2021)), "--dataset", str(folder)])
    assert code == 2
    assert f"LAWNB_LOCK_TIMEOUT={value!r} 不是秒数" in capsys.readouterr().err


def test_import_table_and_corrections_take_the_lock_too(tmp_path, monkeypatch):
    from lawnb.errors import DatasetError
    from lawnb.exchange.corrections_workbook import import_corrections
    from lawnb.exchange.tables import import_table

    folder = tmp_path / "ds"
    import_reports([demo_report("东湖镇", 2021)], folder)
    table = tmp_path / "t.csv"
    table.write_text("指标,2021\n行政处罚案件,12\n", encoding="utf-8-sig")
    monkeypatch.setenv("LAWNB_LOCK_TIMEOUT", "0.1")
    with FileLock(lock_path(folder)):
        with pytest.raises(DatasetError, match="本次未做任何改动"):
            import_table(table, folder, unit="东湖镇")
        with pytest.raises(DatasetError, match="本次未做任何改动"):
            import_corrections(tmp_path / "任意.xlsx", folder)
    assert import_table(table, folder, unit="东湖镇").added == 1
