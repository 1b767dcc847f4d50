"""The datasets shipped inside the package, how a dataset argument names a folder, and the
mark of a fictional dataset.

``sample`` holds the facts of the founding report (齐村镇 2020); ``demo`` the fictional 示例区
over three years. A dataset argument is one of these names, or a folder. A dataset is fictional
when its ``manifest.json`` says ``"fictional": true`` (``lawnb import --fictional`` records it);
its pages then say 虚构示例数据.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from lawnb.errors import DatasetError

#: Bundled dataset names and their folders under ``lawnb/data/``.
BUNDLED: dict[str, str] = {"sample": "sample", "demo": "demo"}
#: The manifest key that marks a fictional dataset.
FICTIONAL_KEY = "fictional"


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


def is_fictional(manifest: object) -> bool:
    """True when a dataset's manifest marks it fictional (``"fictional": true``)."""
    return isinstance(manifest, dict) and manifest.get(FICTIONAL_KEY) is True
