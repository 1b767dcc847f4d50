"""A dataset folder replaced in one step: staging, the swap, recovery, the sweep, the manifest."""

from __future__ import annotations

import json
import os
import time

import pandas as pd
import pytest

from lawnb.errors import DatasetError
from lawnb.store import staging
from lawnb.store.corrections import empty_corrections
from lawnb.store.staging import (
    STALE_SECONDS,
    forget_imports,
    read_manifest,
    recover,
    rename_imports,
    replace_folder,
)


def _tables(text: str):
    """A ``write_tables`` that writes three (unvalidated) table files holding ``text``."""

    def write(folder):
        for name in ("reports", "sections", "facts"):
            (folder / f"{name}.csv").write_text(f"{text}\n", encoding="utf-8")

    return write


def _replace(folder, text: str, corrections=None, manifest=None):
    return replace_folder(
        folder,
        _tables(text),
        corrections=corrections if corrections is not None else empty_corrections(),
        manifest=manifest or {},
    )


def test_a_new_folder_gets_tables_manifest_and_the_default_mode(tmp_path):
    folder = _replace(tmp_path / "ds", "new")
    assert (folder / "facts.csv").read_text(encoding="utf-8") == "new\n"
    manifest = read_manifest(folder)
    assert manifest["imports"] == [] and manifest["schema_version"] == staging.SCHEMA_VERSION
    assert set(manifest["validated"]["tables"]) == {"reports.csv", "sections.csv", "facts.csv"}
    umask = os.umask(0)
    os.umask(umask)
    assert folder.stat().st_mode & 0o777 == 0o777 & ~umask
    assert [p.name for p in tmp_path.iterdir()] == ["ds"]  # no staging folder left


def test_replacing_keeps_other_files_and_writes_corrections_only_when_missing(tmp_path):
    folder = _replace(tmp_path / "ds", "old")
    (folder / "说明.txt").write_text("笔记", encoding="utf-8")
    corrections = pd.DataFrame([{"report_id": "甲/乙/2021", "fact_id": "F1", "action": "delete"}])
    _replace(folder, "new", corrections=corrections)
    assert (folder / "说明.txt").read_text(encoding="utf-8") == "笔记"
    assert (folder / "manual.csv").exists()
    (folder / "manual.csv").write_text("kept", encoding="utf-8")
    _replace(folder, "newer", corrections=corrections)
    assert (folder / "manual.csv").read_text(encoding="utf-8") == "kept"


def test_a_failing_writer_leaves_the_folder_and_no_staging(tmp_path):
    folder = _replace(tmp_path / "ds", "old")

    def broken(staging_folder):
        raise OSError("disk full")

    with pytest.raises(OSError):
        replace_folder(folder, broken, corrections=empty_corrections(), manifest={})
    assert (folder / "facts.csv").read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["ds"]


def test_without_atomic_exchange_two_renames_do_the_swap(tmp_path, monkeypatch):
    monkeypatch.setattr(staging, "exchange", lambda a, b: False)
    folder = _replace(tmp_path / "ds", "old")
    _replace(folder, "new")
    assert (folder / "facts.csv").read_text(encoding="utf-8") == "new\n"
    assert [p.name for p in tmp_path.iterdir()] == ["ds"]


def test_recover_puts_back_the_old_folder_after_a_stop_between_renames(tmp_path):
    old = tmp_path / ".ds.old"
    old.mkdir()
    (old / "facts.csv").write_text("old", encoding="utf-8")
    recover(tmp_path / "ds")
    assert (tmp_path / "ds" / "facts.csv").read_text(encoding="utf-8") == "old"
    assert not old.exists()


def test_stale_staging_folders_are_swept_and_fresh_ones_kept(tmp_path):
    stale = tmp_path / ".ds.abc.new"
    fresh = tmp_path / ".ds.def.new"
    for folder in (stale, fresh):
        folder.mkdir()
    long_ago = time.time() - STALE_SECONDS - 60
    os.utime(stale, (long_ago, long_ago))
    _replace(tmp_path / "ds", "new")
    assert not stale.exists() and fresh.exists()


def test_a_broken_manifest_is_named_with_its_line(tmp_path):
    (tmp_path / "manifest.json").write_text("{\n  oops", encoding="utf-8")
    with pytest.raises(DatasetError, match=r"manifest\.json: 清单文件损坏（第 2 行"):
        read_manifest(tmp_path)


def test_a_folder_without_manifest_has_an_empty_one(tmp_path):
    assert read_manifest(tmp_path) == {"schema_version": staging.SCHEMA_VERSION, "imports": []}


def test_import_entries_are_forgotten_and_renamed():
    manifest = {"imports": [{"report_id": "a"}, {"report_id": "b"}, {"report_id": "c"}]}
    forget_imports(manifest, ["b"])
    rename_imports(manifest, {"c": "d"})
    assert manifest == {"imports": [{"report_id": "a"}, {"report_id": "d"}]}
    empty: dict = {}
    forget_imports(empty, ["a"])
    assert empty == {"imports": []}
    assert json.dumps(manifest)  # still plain JSON
