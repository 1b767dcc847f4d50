"""Tests of lawnb.run.datasets: fictional datasets told apart, and any ``DatasetLike`` planned.

The planner takes its dataset through the protocol: a small fake here stands for the store's
dataset, so the run stage is tested without it.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from lawnb.bundled import bundled_path
from lawnb.errors import DatasetError, ParamsError
from lawnb.run.datasets import DatasetLike, is_fictional
from lawnb.run.params import plan_from_params
from lawnb.store.loading import load_dataset


def test_fictional_datasets_are_told_by_their_manifest_or_are_the_demo(tmp_path):
    assert is_fictional(load_dataset("demo"), "demo") is True
    assert is_fictional(None, "demo") is True
    assert is_fictional(load_dataset("sample"), "sample") is False
    assert is_fictional(None, str(bundled_path("demo"))) is True
    assert is_fictional(None, str(tmp_path / "no-such-dataset")) is False
    for name, flag in (("sample", True), ("demo", False)):
        folder = Path(shutil.copytree(bundled_path(name), tmp_path / name))
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        (folder / "manifest.json").write_text(
            json.dumps({**manifest, "fictional": flag}), encoding="utf-8"
        )
        assert is_fictional(load_dataset(folder), str(folder)) is flag
        assert is_fictional(None, str(folder)) is flag


class FakeDataset:
    """Two reports of 2021 (甲镇 in 东区, 乙镇 with no district); fictional by its manifest."""

    def __init__(self) -> None:
        self.reports = pd.DataFrame(
            {"unit": ["甲镇", "乙镇"], "district": ["东区", None], "year": [2021, 2021]}
        )
        self.manifest = {"fictional": True}

    def units(self) -> list[str]:
        return ["乙镇", "甲镇"]

    def years(self, unit: str) -> list[int]:
        return [2021]

    def report_row(self, unit: str, year: int) -> pd.Series:
        if unit not in ("甲镇", "乙镇") or year != 2021:
            raise DatasetError(f"没有“{unit}”{year}年的报告。")
        return self.reports[self.reports["unit"] == unit].iloc[0]

    def districts_of_unit(self, unit: str, year: int) -> list[str]:
        return ["东区"] if unit == "甲镇" else [""]


def test_a_plan_takes_any_dataset_like_from_the_loader_it_is_given(tmp_path):
    opened: list[str] = []

    def open_dataset(argument: str) -> DatasetLike:
        opened.append(argument)
        return FakeDataset()

    (tmp_path / "params").mkdir()
    file = tmp_path / "params" / "2021.yaml"
    file.write_text("year: 2021\ndataset: fake\n", encoding="utf-8")
    plan = plan_from_params(file, open_dataset=open_dataset)
    assert opened == [str(tmp_path / "fake")]  # relative to the project root
    assert plan.reports == [("", "乙镇"), ("东区", "甲镇")]
    assert plan.fictional is True
    file.write_text("year: 2021\ndataset: fake\nunits: [丙镇]\n", encoding="utf-8")
    with pytest.raises(ParamsError, match=r"2021\.yaml: 没有“丙镇”2021年的报告"):
        plan_from_params(file, open_dataset=open_dataset)
