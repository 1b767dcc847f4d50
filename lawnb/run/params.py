"""``params/<year>.yaml`` files: what ``lawnb run`` should make, checked against the dataset.

``plan_from_params`` takes a params file and a dataset loader (``OpenDataset``: run imports no
stage, the caller passes it) and gives a ``RunPlan``: the year, the dataset, the reports as
(district, unit) and the notebooks to run. Every mistake is a ``ParamsError`` naming the file.
"""

from __future__ import annotations

import reprlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from lawnb.bundled import BUNDLED, dataset_folder
from lawnb.errors import DatasetError, ParamsError
from lawnb.names import is_report_year, is_unsafe_name, refused_name
from lawnb.run.datasets import DatasetLike, OpenDataset, is_fictional
from lawnb.run.layout import NOTEBOOKS

_KNOWN_KEYS = {"year", "dataset", "units", "notebooks", "timeout", "output"}

#: How a message quotes a value from a params file: bounded whatever its size or nesting.
_QUOTE = reprlib.Repr()
_QUOTE.maxstring = _QUOTE.maxother = 60
_QUOTE.maxlevel, _QUOTE.maxlist, _QUOTE.maxdict = 2, 6, 4


def quoted(value: object) -> str:
    """A value as a message shows it (``repr``, capped in length and depth)."""
    return _QUOTE.repr(value)


class _NoAliasLoader(yaml.SafeLoader):
    """The safe loader, refusing aliases (``*name``): a few nested ones expand to billions of
    values (a params file needs none)."""

    def compose_node(self, parent, index):  # type: ignore[no-untyped-def]
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise yaml.composer.ComposerError(
                None, None, "参数文件不能使用 YAML 别名（*名称），请直接写出值", mark
            )
        return super().compose_node(parent, index)


@dataclass
class RunPlan:
    """One params file, checked: a year, a dataset and the units and notebooks to run for it."""

    file: Path
    year: int
    dataset: str
    units: list[str]
    notebooks: list[str]
    timeout: int | None = None
    loaded: DatasetLike | None = None
    #: The reports to run, as (district, unit) in the order asked; "" when a report has no
    #: district. Two units of one name in two districts are two entries.
    reports: list[tuple[str, str]] = field(default_factory=list)
    #: True when the dataset is fictional (its manifest says so).
    fictional: bool = False
    #: The outputs folder of this file's pages (``output:``); None: the batch's (``--outputs``).
    output: Path | None = None


def read_params(file: Path) -> dict[str, Any]:
    """A params file as a mapping, or a ``ParamsError`` naming the file and line."""
    file = Path(file)
    if not file.exists():
        raise ParamsError(f"{file}: 参数文件不存在。请检查路径，或在 params/ 下新建 <年度>.yaml。")
    if not file.is_file():
        what = "一个文件夹" if file.is_dir() else "特殊文件（不是普通文件）"
        raise ParamsError(
            f"{file}: 是{what}，不是参数文件。请给出一个 .yaml 文件，如 params/2020.yaml。"
        )
    try:
        data = yaml.load(file.read_text(encoding="utf-8-sig"), Loader=_NoAliasLoader)
    except UnicodeDecodeError as exc:
        raise ParamsError(f"{file}: 不是 UTF-8 编码的文本文件。请另存为 UTF-8。") from exc
    except (ValueError, RecursionError) as exc:  # an integer of thousands of digits, deep nesting
        raise ParamsError(
            f"{file}: 有无法读取的值（{str(exc)[:80]}）。请检查过长的数字或过深的嵌套。"
        ) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第 {mark.line + 1} 行第 {mark.column + 1} 列" if mark else ""
        problem = (getattr(exc, "problem", None) or str(exc))[:200]
        raise ParamsError(
            f"{file}: {where}不是有效的 YAML（{problem}）。请检查缩进、冒号和引号。"
        ) from exc
    if not isinstance(data, dict):
        raise ParamsError(
            f"{file}: 内容应是“键: 值”形式的映射（year、dataset、units、notebooks）。"
        )
    return data


def check_unit_name(unit: str, where: str, *, what: str = "单位名称") -> str:
    """A unit (or district) name that is safe to use as a file name, or a ``ParamsError``."""
    if not isinstance(unit, str) or not unit.strip():
        raise ParamsError(f"{where}: {what}应为非空文本，得到 {quoted(unit)}。")
    refusal = refused_name(unit)
    if refusal:
        raise ParamsError(f"{where}: {what} {refusal}。")
    return unit.strip()


def split_unit(name: str, where: str) -> tuple[str | None, str]:
    """A units entry as (district or None, unit): ``齐村镇``, or ``市中区/齐村镇`` for one district."""
    if isinstance(name, str) and name.count("/") == 1:
        district, unit = (part.strip() for part in name.split("/"))
        if district and unit and not (is_unsafe_name(district) or is_unsafe_name(unit)):
            return district, unit
    return None, check_unit_name(name, where)


def plan_from_params(
    file: Path, *, open_dataset: OpenDataset, units: list[str] | None = None
) -> RunPlan:
    """Read and check a params file against its dataset; ``units`` narrows the units to run.

    ``open_dataset`` loads the dataset the file names (the store's ``load_dataset``). The units
    of ``units`` (``--unit``: a unit, or ``district/unit``) that the dataset has no report of
    for the file's year are left out: the plan may then have no report (``plan_jobs`` says when
    a unit is in no params file).
    """
    data = read_params(file)
    unknown = set(data) - _KNOWN_KEYS
    if unknown:
        raise ParamsError(
            f"{file}: 未知的参数 {', '.join(sorted(str(k)[:60] for k in unknown)[:10])}。可用：{', '.join(sorted(_KNOWN_KEYS))}。"
        )
    year = data.get("year")
    if not is_report_year(year):
        raise ParamsError(f"{file}: year 应为四位数的年度（如 2020），得到 {quoted(year)}。")
    dataset_arg = data.get("dataset") or "sample"
    if not isinstance(dataset_arg, str):
        raise ParamsError(
            f"{file}: dataset 应为数据集文件夹路径或 sample，得到 {quoted(dataset_arg)}。"
        )
    if dataset_arg not in BUNDLED:
        # The one rule: relative to the project root, here the one of the params file.
        dataset_arg = str(dataset_folder(dataset_arg, start=Path(file).parent).resolve())
    try:
        dataset = open_dataset(dataset_arg)
    except DatasetError as exc:
        raise ParamsError(f"{file}: dataset 无法加载：{exc}") from exc
    wanted = data.get("units", "all")
    if wanted == "all" or wanted is None:
        chosen = [(None, u) for u in dataset.units() if year in dataset.years(u)]
    elif isinstance(wanted, list):
        chosen = [split_unit(u, f"{file}: units") for u in wanted]
    else:
        raise ParamsError(f"{file}: units 应为 all 或单位名称列表，得到 {quoted(wanted)}。")
    if units:
        chosen = [
            (district, unit)
            for district, unit in (split_unit(u, "--unit") for u in units)
            if has_report(dataset, unit, year, district)
        ]
    reports: list[tuple[str, str]] = []
    for district, unit in chosen:
        check_unit_year(dataset, unit, year, where=str(file))
        for found in _districts_of_unit(dataset, unit, year, district, where=str(file)):
            if (found, unit) not in reports:
                reports.append((found, unit))
    notebooks = data.get("notebooks") or ["annual_report"]
    if not isinstance(notebooks, list) or any(
        not isinstance(n, str) or n not in NOTEBOOKS for n in notebooks
    ):
        raise ParamsError(
            f"{file}: notebooks 应为列表，可选：{', '.join(NOTEBOOKS)}；得到 {quoted(notebooks)}。"
        )
    timeout = data.get("timeout")
    if timeout is not None and (not isinstance(timeout, int) or timeout <= 0):
        raise ParamsError(f"{file}: timeout 应为正整数（秒），得到 {quoted(timeout)}。")
    output = data.get("output")
    if output is not None and (not isinstance(output, str) or not output.strip()):
        raise ParamsError(f"{file}: output 应为输出文件夹路径（文本），得到 {quoted(output)}。")
    return RunPlan(
        output=dataset_folder(output, start=Path(file).parent).resolve() if output else None,
        loaded=dataset,
        file=Path(file),
        year=year,
        dataset=dataset_arg,
        units=list(dict.fromkeys(unit for _, unit in reports)),
        notebooks=notebooks,
        timeout=timeout,
        reports=reports,
        fictional=is_fictional(dataset, dataset_arg),
    )


def has_report(dataset: DatasetLike, unit: str, year: int, district: str | None = None) -> bool:
    """True when the dataset has a report of ``unit`` for ``year`` (in ``district`` if given)."""
    found = dataset.districts_of_unit(unit, year)
    return bool(found) and (district is None or district in found)


def _districts_of_unit(
    dataset: DatasetLike, unit: str, year: int, district: str | None, *, where: str
) -> list[str]:
    """The districts ("" for none) of the unit's reports of ``year``, or only ``district``."""
    found = dataset.districts_of_unit(unit, year)
    if district is None:
        return found
    if district not in found:
        known = "、".join(d or "（无区县）" for d in found)
        raise ParamsError(
            f"{where}: 数据集中没有“{district}/{unit}”{year}年的报告。“{unit}”{year}年所在的区县：{known}。"
        )
    return [district]


def check_unit_year(dataset: DatasetLike, unit: str, year: int, *, where: str = "参数") -> None:
    """A ``ParamsError`` naming what exists when the dataset has no report for the unit-year."""
    try:
        dataset.report_row(unit, year)
    except DatasetError as exc:
        raise ParamsError(f"{where}: {exc}") from exc
