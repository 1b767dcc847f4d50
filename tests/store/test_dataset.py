"""The on-disk dataset: round-trips, idempotent and revised imports, the bundled datasets, saves."""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest
from dataset_helpers import (
    DEMO_REPORTS,
    assert_same_dataset,
    demo_copy,
    demo_report,
    table_bytes,
    write_csv,
)

from lawnb.cli import main
from lawnb.errors import DatasetError
from lawnb.read.reader import read_report
from lawnb.store.importing.reports import import_reports
from lawnb.store.importing.rows import report_tables
from lawnb.store.loading import check_dataset, load_dataset
from lawnb.store.saving import save_dataset


def test_import_save_load_round_trip(tmp_path, founding_report):
    fresh = report_tables(read_report(founding_report))
    result = import_reports([founding_report], tmp_path / "ds")
    assert result.failures == [] and [o.status for o in result.outcomes] == ["added"]
    loaded = load_dataset(tmp_path / "ds")
    assert_same_dataset(fresh, loaded)
    assert_same_dataset(result.dataset, loaded)
    save_dataset(loaded, tmp_path / "copy")
    assert_same_dataset(loaded, load_dataset(tmp_path / "copy"))
    assert (tmp_path / "ds" / "facts.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_round_trip_keeps_types_and_corrections(tmp_path):
    folder = demo_copy(tmp_path)
    write_csv(
        pd.DataFrame(
            [
                {
                    "report_id": "示例区/东湖镇/2021",
                    "fact_id": _first_fact(folder),
                    "value": "7",
                    "action": "edit",
                    "reason": "核对原件",
                }
            ]
        ),
        folder / "manual.csv",
    )
    loaded = load_dataset(folder)
    assert str(loaded.facts["value"].dtype) == "Float64"
    assert str(loaded.reports["year"].dtype) == "Int64"
    assert isinstance(loaded.facts["kind"].dtype, pd.CategoricalDtype)
    save_dataset(loaded, tmp_path / "copy")  # elsewhere: the corrections go along as manual.csv
    copy = load_dataset(tmp_path / "copy")
    assert_same_dataset(loaded, copy)
    assert (tmp_path / "copy" / "manual.csv").exists()
    pd.testing.assert_frame_equal(loaded.extracted_facts, copy.extracted_facts)


def _first_fact(folder):
    facts = load_dataset(folder).facts
    return facts.loc[facts["report_id"] == "示例区/东湖镇/2021", "fact_id"].iloc[0]


def test_import_twice_changes_nothing(tmp_path, founding_report):
    first = import_reports([founding_report], tmp_path / "ds")
    before = table_bytes(tmp_path / "ds")
    manifest = (tmp_path / "ds" / "manifest.json").read_text(encoding="utf-8")
    second = import_reports([founding_report], tmp_path / "ds")
    assert [o.status for o in second.outcomes] == ["unchanged"]
    assert "内容相同" in second.outcomes[0].message and "--force" in second.outcomes[0].message
    assert table_bytes(tmp_path / "ds") == before
    assert (tmp_path / "ds" / "manifest.json").read_text(encoding="utf-8") == manifest
    assert_same_dataset(first.dataset, second.dataset)


def test_force_reimports_an_unchanged_file(tmp_path):
    report = demo_report("东湖镇", 2021)
    import_reports([report], tmp_path / "ds")
    again = import_reports([report], tmp_path / "ds", force=True)
    assert [o.status for o in again.outcomes] == ["updated"]
    assert again.outcomes[0].changes.empty


def test_manifest_records_what_was_imported(tmp_path):
    report = demo_report("南岭乡", 2022)
    import_reports([report], tmp_path / "ds", keep_text=False)
    manifest = json.loads((tmp_path / "ds" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["schema_version"] == 1 and manifest["lawnb_version"]
    (entry,) = manifest["imports"]
    assert entry["report_id"] == "示例区/南岭乡/2022" and entry["file"] == report.name
    assert len(entry["sha256"]) == 64 and entry["imported_at"]
    assert entry["options"] == {"keep_text": False}


def _revised(tmp_path, insert="全镇共有村居12个。", old="86份", new="88份"):
    text = demo_report("东湖镇", 2021).read_text(encoding="utf-8")
    assert old in text
    text = text.replace("现将全年工作情况汇报如下。", f"{insert}现将全年工作情况汇报如下。")
    text = text.replace(old, new)
    folder = tmp_path / "revised"
    folder.mkdir(exist_ok=True)
    path = folder / "示例区东湖镇-2021.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_revised_report_replaces_its_rows_and_says_what_changed(tmp_path, capsys):
    folder = tmp_path / "ds"
    assert main(["import", str(demo_report("东湖镇", 2021)), "--dataset", str(folder)]) == 0
    before = load_dataset(folder)
    capsys.readouterr()
    assert main(["import", str(_revised(tmp_path)), "--dataset", str(folder)]) == 0
    out = capsys.readouterr().out
    assert (
        "更新 示例区东湖镇-2021.txt → 示例区/东湖镇/2021：新增 1 条、删除 0 条、数值变化 1 条"
        in out
    )
    assert "+ （无章节） 村居 12 个" in out
    assert "~ 一、/（一） 下达责令整改通知书：86 → 88 份" in out
    after = load_dataset(folder)
    assert len(after.reports) == 1 and len(after.facts) == len(before.facts) + 1
    assert after.reports["n_chars"].iloc[0] > before.reports["n_chars"].iloc[0]


def test_revised_report_removing_a_figure_lists_it(tmp_path):
    import_reports([demo_report("东湖镇", 2021)], tmp_path / "ds")
    revised = _revised(tmp_path, insert="", old="下达责令整改通知书86份，", new="")
    result = import_reports([revised], tmp_path / "ds")
    changes = result.outcomes[0].changes
    assert changes.summary() == "新增 0 条、删除 1 条、数值变化 0 条"
    assert changes.lines() == ["- 一、/（一） 下达责令整改通知书 86 份"]


def test_two_versions_of_a_report_in_one_import_the_last_wins(tmp_path):
    revised = _revised(tmp_path)
    result = import_reports([demo_report("东湖镇", 2021), revised], tmp_path / "ds")
    assert [o.status for o in result.outcomes] == ["added", "updated"]
    assert result.outcomes[1].changes.summary() == "新增 1 条、删除 0 条、数值变化 1 条"
    import_reports([revised], tmp_path / "alone")
    assert table_bytes(tmp_path / "ds") == table_bytes(tmp_path / "alone")
    assert (result.n_reports, result.n_facts) == (1, len(load_dataset(tmp_path / "ds").facts))


def test_one_import_of_many_files_saves_what_importing_them_one_by_one_does(tmp_path):
    files = [demo_report(unit, year) for year in (2021, 2022) for unit in ("东湖镇", "南岭乡")]
    together = import_reports(files, tmp_path / "together")
    for file in files:
        import_reports([file], tmp_path / "one_by_one")
    assert table_bytes(tmp_path / "together") == table_bytes(tmp_path / "one_by_one")
    dataset, problems = check_dataset(tmp_path / "together", trust_saved=False)
    assert problems == []
    assert (together.n_reports, together.n_facts) == (4, len(dataset.facts))
    assert together.n_facts > 4 * 10


@pytest.mark.parametrize("chunk", [1, 2, 64])
@pytest.mark.slow
def test_reports_validated_in_chunks_save_what_one_by_one_does(tmp_path, monkeypatch, chunk):
    monkeypatch.setattr("lawnb.store.importing.session.IMPORT_CHUNK", chunk)
    revised = _revised(tmp_path)
    files = [demo_report("东湖镇", 2021), demo_report("南岭乡", 2021), revised]
    files += [demo_report("西山镇", 2022), demo_report("南岭乡", 2021)]  # the last: unchanged
    result = import_reports(files, tmp_path / "ds")
    statuses = [o.status for o in result.outcomes]
    assert statuses == ["added", "added", "updated", "added", "unchanged"]
    for file in files:
        import_reports([file], tmp_path / "one_by_one")
    assert table_bytes(tmp_path / "ds") == table_bytes(tmp_path / "one_by_one")


def test_extracted_rows_that_fail_validation_name_their_file_only(tmp_path, monkeypatch):
    import lawnb.store.importing.session as session

    real = session.report_rows

    def broken_for_one(report, **kwargs):
        rows = real(report, **kwargs)
        if report.unit == "南岭乡":
            rows["facts"].loc[0, "value"] = -5.0
            rows["facts"].loc[0, "measure"] = "件"
        return rows

    monkeypatch.setattr(session, "report_rows", broken_for_one)
    files = [demo_report("东湖镇", 2021), demo_report("南岭乡", 2021), demo_report("西山镇", 2021)]
    result = import_reports(files, tmp_path / "ds")
    assert [o.status for o in result.outcomes] == ["added", "failed", "added"]
    message = result.outcomes[1].message
    assert message.startswith(str(files[1])) and "未导入" in message and "负数" in message
    assert load_dataset(tmp_path / "ds").units() == ["东湖镇", "西山镇"]


def test_a_failing_report_is_reported_and_the_others_import(tmp_path, capsys):
    empty = tmp_path / "空白.txt"
    empty.write_text("", encoding="utf-8")
    files = [demo_report("东湖镇", 2021), empty, demo_report("西山镇", 2021)]
    code = main(["import", *map(str, files), "--dataset", str(tmp_path / "ds"), "--no-progress"])
    captured = capsys.readouterr()
    assert code == 2 and "空白.txt" in captured.err and "Traceback" not in captured.err
    assert "已导入 2 份报告" in captured.out
    assert load_dataset(tmp_path / "ds").units() == ["东湖镇", "西山镇"]


def test_progress_bar_over_many_files_goes_to_stderr(tmp_path, capsys):
    files = [demo_report("东湖镇", 2021), demo_report("东湖镇", 2022)]
    assert main(["import", *map(str, files), "--dataset", str(tmp_path / "ds")]) == 0
    captured = capsys.readouterr()
    assert "导入报告" in captured.err and "2/2" in captured.err
    assert "导入报告" not in captured.out


def test_bundled_sample_is_the_founding_report_without_its_text(founding_report):
    sample = load_dataset()
    assert sample.units() == ["齐村镇"] and sample.years() == [2020]
    fresh = report_tables(read_report(founding_report), keep_text=False)
    assert_same_dataset(sample, fresh)
    assert sample.facts["sentence"].isna().all(), "the bundled sample must not hold report text"


def test_bundled_datasets_pass_validation(capsys):
    for name in ("sample", "demo"):
        assert main(["check", "--dataset", name]) == 0
        assert "数据集有效" in capsys.readouterr().out


def test_facts_for_unknown_unit_names_the_units():
    sample = load_dataset()
    with pytest.raises(DatasetError, match=r"没有单位“东湖镇”.*齐村镇"):
        sample.facts_for("东湖镇", 2020)
    with pytest.raises(DatasetError, match=r"2019.*2020"):
        sample.facts_for("齐村镇", 2019)


def test_missing_folder_says_how_to_create_it(tmp_path):
    with pytest.raises(DatasetError, match="lawnb import"):
        load_dataset(tmp_path / "nowhere")


def test_a_failed_save_leaves_the_old_dataset(tmp_path, monkeypatch):
    save_dataset(load_dataset(), tmp_path / "ds")
    before = table_bytes(tmp_path / "ds")

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(pd.DataFrame, "to_csv", broken)
    with pytest.raises(OSError):
        save_dataset(load_dataset(), tmp_path / "ds")
    assert table_bytes(tmp_path / "ds") == before
    assert [p.name for p in tmp_path.iterdir()] == ["ds"]


def test_an_invalid_dataset_is_never_saved(tmp_path):
    save_dataset(load_dataset(), tmp_path / "ds")
    before = table_bytes(tmp_path / "ds")
    dataset = load_dataset(tmp_path / "ds")
    dataset.extracted_facts = dataset.extracted_facts.assign(value=-1.0)
    with pytest.raises(DatasetError, match=r"facts.csv: 第 2 行，列 value：数量不能为负数"):
        save_dataset(dataset, tmp_path / "ds")
    assert table_bytes(tmp_path / "ds") == before
    assert [p.name for p in tmp_path.iterdir()] == ["ds"]


def test_save_keeps_other_files_and_permissions(tmp_path):
    folder = save_dataset(load_dataset(), tmp_path / "ds")
    (folder / "说明.txt").write_text("分析人员的笔记", encoding="utf-8")
    folder.chmod(0o755)
    save_dataset(load_dataset(folder), folder)
    assert (folder / "说明.txt").read_text(encoding="utf-8") == "分析人员的笔记"
    assert folder.stat().st_mode & 0o777 == 0o755


def test_save_without_atomic_exchange_recovers_an_interrupted_swap(tmp_path, monkeypatch):
    """Where the system cannot swap folders, a save cut between its renames leaves the old one."""
    import lawnb.store.staging as staging

    folder = save_dataset(load_dataset(), tmp_path / "ds")
    before = table_bytes(folder)
    monkeypatch.setattr(staging, "exchange", lambda a, b: False)
    save_dataset(load_dataset("demo"), folder)  # the two-rename path works
    assert load_dataset(folder).units() == load_dataset("demo").units()
    # simulate a stop after the first rename: the folder is gone, its old copy is beside it
    shutil.rmtree(folder)
    old = tmp_path / ".ds.old"
    save_dataset(load_dataset(), old)
    assert not folder.exists()
    assert load_dataset(folder).units() == ["齐村镇"]  # recovered
    assert table_bytes(folder) == before


def test_bundled_demo_is_the_import_of_the_demo_reports(repo_root):
    demo = load_dataset("demo")
    assert demo.units() == ["东湖镇", "北城街道", "南岭乡", "西山镇"]
    assert demo.years() == [2021, 2022, 2023]
    assert set(demo.reports["district"]) == {"示例区"}
    assert demo.manifest["fictional"] is True and "fictional" not in load_dataset().manifest
    for path in sorted((repo_root / "lawnb" / "data" / "demo_reports").glob("*.txt")):
        fresh = report_tables(read_report(path))
        report_id = fresh.reports["report_id"].iloc[0]
        for name in ("reports", "sections", "facts"):
            bundled = getattr(demo, name)
            bundled = bundled[bundled["report_id"] == report_id].reset_index(drop=True)
            pd.testing.assert_frame_equal(bundled, getattr(fresh, name), obj=f"{path.name} {name}")


def test_import_records_the_fictional_mark_and_keeps_it(tmp_path):
    folder = tmp_path / "ds"
    one, two = sorted(DEMO_REPORTS.glob("*.txt"))[:2]
    import_reports([one], folder, fictional=True)
    assert load_dataset(folder).manifest["fictional"] is True
    import_reports([two], folder)  # not said: the mark stays
    assert load_dataset(folder).manifest["fictional"] is True
    import_reports([one], folder, force=True, fictional=False)
    assert load_dataset(folder).manifest["fictional"] is False


def test_cli_dataset_errors_exit_2_without_traceback(tmp_path, capsys):
    code = main(["check", "--dataset", str(tmp_path / "nowhere")])
    err = capsys.readouterr().err
    assert code == 2 and "数据集文件夹不存在" in err and "Traceback" not in err
