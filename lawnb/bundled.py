"""The datasets shipped inside the package, and how a dataset argument names a folder.

``sample`` holds the facts of the founding report (齐村镇 2020); ``demo`` the fictional 示例区
over three years. A dataset argument is one of these names, or a folder.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from lawnb.errors import DatasetError

#: Bundled dataset names and their folders under ``lawnb/data/``.
BUNDLED: dict[str, str] = {"sample": "sample", "demo": "demo"}
#: The bundled dataset that is fictional even when its manifest does not say so.
FICTIONAL_BUNDLED = "demo"


def bundled_path(name: str = "sample") -> Path:
    """The folder of a dataset shipped inside the package ("sample": 齐村镇 2020 facts)."""
    if name not in BUNDLED:
        raise DatasetError(f"没有名为“{name}”的内置数据集。可用：{'、'.join(BUNDLED)}。")
    return Path(str(resources.files("lawnb") / "data" / BUNDLED[name]))


def resolve_dataset_path(path: str | Path | None) -> tuple[Path, str]:
    """A dataset argument (None or "" or a bundled name, or a folder) as a folder and a label."""
    if path is None or str(path) == "" or str(path) in BUNDLED:
        name = str(path) if path else "sample"
        return bundled_path(name), name
    return Path(path), str(path)
