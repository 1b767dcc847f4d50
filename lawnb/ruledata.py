"""The rule files in ``lawnb/rules/``: read once, with a clear error when one is broken."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml

from lawnb.errors import LawnbError


@cache
def load_rules(name: str) -> dict[str, Any]:
    """The mapping in ``lawnb/rules/<name>`` (e.g. ``facts.yaml``), parsed once per process."""
    path = resources.files("lawnb") / "rules" / name
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise LawnbError(
            f"lawnb/rules/{name}: 规则文件无法读取或不是有效的 YAML（{exc}）。"
        ) from exc
    if not isinstance(data, dict):
        raise LawnbError(f"lawnb/rules/{name}: 规则文件应为“键: 值”映射。")
    return data
