"""``params/<year>.yaml`` files: what ``lawnb run`` should make, validated against the dataset."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from lawnb.dataset import BUNDLED, Dataset, load_dataset
from lawnb.errors import DatasetError, ParamsError

NOTEBOOKS: dict[str, str] = {
    "annual_report": "单位年度报告分析",
    "district_overview": "区县年度汇总",
}
_KNOWN_KEYS = {"year", "dataset", "units", "notebooks", "timeout"}
_UNSAFE_NAME = re.compile(r"[/\\\x00]|^\.|\.\.|^[A-Za-z]:")


@dataclass
class RunPlan:
    """One params file, checked: a year, a dataset and the units and notebooks to run for it."""

    file: Path
    year: int
    dataset: str
    units: list[str]
    notebooks: list[str]
    timeout: int | None = None
    loaded: Dataset | None = None


def read_params(file: Path) -> dict[str, Any]:
    """A params file as a mapping, or a ``ParamsError`` naming the file and line."""
    file = Path(file)
    if not file.exists():
        raise ParamsError(f"{file}: 参数文件不存在。请检查路径，或在 params/ 下新建 <年度>.yaml。")
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ParamsError(f"{file}: 不是 UTF-8 编码的文本文件。请另存为 UTF-8。") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第 {mark.line + 1} 行第 {mark.column + 1} 列" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ParamsError(
            f"{file}: {where}不是有效的 YAML（{problem}）。请检查缩进、冒号和引号。"
        ) from exc
    if not isinstance(data, dict):
        raise ParamsError(
            f"{file}: 内容应是“键: 值”形式的映射（year、dataset、units、notebooks）。"
        )
    return data


def check_unit_name(unit: str, where: str) -> str:
    """A unit name that is safe to use as a file name, or a ``ParamsError``."""
    if not isinstance(unit, str) or not unit.strip():
        raise ParamsError(f"{where}: 单位名称应为非空文本，得到 {unit!r}。")
    if _UNSAFE_NAME.search(unit):
        raise ParamsError(f"{where}: 单位名称 {unit!r} 含有路径符号（/ \\ ..），不能用作文件名。")
    return unit.strip()


def plan_from_params(file: Path, *, units: list[str] | None = None) -> RunPlan:
    """Read and check a params file against its dataset; ``units`` narrows the units to run."""
    data = read_params(file)
    unknown = set(data) - _KNOWN_KEYS
    if unknown:
        raise ParamsError(
            f"{file}: 未知的参数 {', '.join(sorted(unknown))}。可用：{', '.join(sorted(_KNOWN_KEYS))}。"
        )
    year = data.get("year")
    if isinstance(year, bool) or not isinstance(year, int) or not 1990 <= year <= 2100:
        raise ParamsError(f"{file}: year 应为四位数的年度（如 2020），得到 {year!r}。")
    dataset_arg = data.get("dataset") or "sample"
    if not isinstance(dataset_arg, str):
        raise ParamsError(f"{file}: dataset 应为数据集文件夹路径或 sample，得到 {dataset_arg!r}。")
    if dataset_arg not in BUNDLED and not Path(dataset_arg).is_absolute():
        # Relative to the project root (the folder holding params/), whatever the cwd.
        dataset_arg = str(Path(file).resolve().parent.parent / dataset_arg)
    try:
        dataset = load_dataset(dataset_arg)
    except DatasetError as exc:
        raise ParamsError(f"{file}: dataset 无法加载：{exc}") from exc
    wanted = data.get("units", "all")
    if wanted == "all" or wanted is None:
        chosen = [u for u in dataset.units() if year in dataset.years(u)]
    elif isinstance(wanted, list):
        chosen = [check_unit_name(u, f"{file}: units") for u in wanted]
    else:
        raise ParamsError(f"{file}: units 应为 all 或单位名称列表，得到 {wanted!r}。")
    if units:
        chosen = [check_unit_name(u, "--unit") for u in units]
    for unit in chosen:
        check_unit_year(dataset, unit, year, where=str(file))
    notebooks = data.get("notebooks") or ["annual_report"]
    if not isinstance(notebooks, list) or any(
        not isinstance(n, str) or n not in NOTEBOOKS for n in notebooks
    ):
        raise ParamsError(
            f"{file}: notebooks 应为列表，可选：{', '.join(NOTEBOOKS)}；得到 {notebooks!r}。"
        )
    timeout = data.get("timeout")
    if timeout is not None and (not isinstance(timeout, int) or timeout <= 0):
        raise ParamsError(f"{file}: timeout 应为正整数（秒），得到 {timeout!r}。")
    return RunPlan(
        loaded=dataset,
        file=Path(file),
        year=year,
        dataset=dataset_arg,
        units=chosen,
        notebooks=notebooks,
        timeout=timeout,
    )


def check_unit_year(dataset: Dataset, unit: str, year: int, *, where: str = "参数") -> None:
    """A ``ParamsError`` naming what exists when the dataset has no report for the unit-year."""
    try:
        dataset.report_row(unit, year)
    except DatasetError as exc:
        raise ParamsError(f"{where}: {exc}") from exc


def validate_notebook_parameters(unit: Any, year: Any, dataset: Any) -> Dataset:
    """Check an annual-report notebook's parameters at the top of its run; return the dataset.

    Fails with a Chinese message naming the parameter when a type is wrong, the unit or year
    is unknown, or the dataset does not load.
    """
    if not isinstance(unit, str) or not unit:
        raise ParamsError(f"参数 unit 应为单位名称（文本），得到 {unit!r}。")
    if isinstance(year, bool) or not isinstance(year, int):
        raise ParamsError(f"参数 year 应为整数年度（如 2020），得到 {year!r}。")
    if dataset is not None and not isinstance(dataset, str):
        raise ParamsError(f"参数 dataset 应为数据集路径（文本），得到 {dataset!r}。")
    check_unit_name(unit, "参数 unit")
    try:
        loaded = load_dataset(dataset or None)
    except DatasetError as exc:
        raise ParamsError(f"参数 dataset：{exc}") from exc
    check_unit_year(loaded, unit, year, where="参数 unit/year")
    return loaded


def validate_overview_parameters(year: Any, dataset: Any, district: Any = "") -> Dataset:
    """Check a district overview notebook's parameters at the top of its run; return the dataset."""
    if isinstance(year, bool) or not isinstance(year, int):
        raise ParamsError(f"参数 year 应为整数年度（如 2022），得到 {year!r}。")
    if dataset is not None and not isinstance(dataset, str):
        raise ParamsError(f"参数 dataset 应为数据集路径（文本），得到 {dataset!r}。")
    if not isinstance(district, str):
        raise ParamsError(f"参数 district 应为区县名称（文本），得到 {district!r}。")
    try:
        loaded = load_dataset(dataset or None)
    except DatasetError as exc:
        raise ParamsError(f"参数 dataset：{exc}") from exc
    reports = loaded.reports[loaded.reports["year"] == year]
    if reports.empty:
        years = "、".join(map(str, loaded.years())) or "（无）"
        raise ParamsError(f"参数 year：数据集中没有{year}年的报告。已有年份：{years}。")
    districts = sorted(reports["district"].dropna().unique())
    if district and district not in districts:
        raise ParamsError(
            f"参数 district：{year}年没有“{district}”的报告。已有：{'、'.join(districts)}。"
        )
    return loaded


def districts_of(dataset: Dataset, year: int, units: list[str]) -> list[str]:
    """The districts that the given units of ``year`` belong to, in name order."""
    reports = dataset.reports[
        (dataset.reports["year"] == year) & dataset.reports["unit"].isin(units)
    ]
    return sorted(reports["district"].dropna().unique())
