"""The datasets shipped inside the package, how a dataset argument names a folder, and the
mark of a fictional dataset.

``sample`` holds the facts of the founding report (齐村镇 2020); ``demo`` the fictional 示例区
over three years. A dataset argument is one of these names, or a folder; a relative folder is
relative to the project root (``project_root``: the nearest folder, from the current one
upwards, that holds ``params/``; the current folder when there is none), wherever lawnb runs
from: the command line, a params file, or a notebook in JupyterLab. A dataset is fictional
when its ``manifest.json`` says ``"fictional": true`` (``lawnb import --fictional`` records it);
its pages then say 虚构示例数据.
"""

from __future__ import annotations

import os
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


def project_root(start: Path | None = None) -> Path:
    """The nearest folder from ``start`` (default: the current folder) upwards that holds a
    ``params/`` folder: the lawnb project relative dataset paths belong to; else ``start``."""
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "params").is_dir():
            return folder
    return here


def dataset_folder(path: str | Path, *, start: Path | None = None) -> Path:
    """A dataset folder argument under the one rule: absolute as given, relative to the project
    root (``project_root(start)``). Kept relative to the current folder where it can be, so
    that messages show paths the way the user typed them from the project root."""
    path = Path(path)
    if path.is_absolute():
        return path
    folder = project_root(start) / path
    try:
        return Path(os.path.relpath(folder))
    except ValueError:  # another drive (Windows)
        return folder


def resolve_dataset_path(path: str | Path | None) -> tuple[Path, str]:
    """A dataset argument (None or "" or a bundled name, or a folder) as a folder and a label."""
    if path is None or str(path) == "" or str(path) in BUNDLED:
        name = str(path) if path else "sample"
        return bundled_path(name), name
    return dataset_folder(path), str(path)


def dataset_argument(text: str) -> Path:
    """``--dataset`` of the command line: a bundled name as it is, a folder by ``dataset_folder``."""
    return Path(text) if text in BUNDLED else dataset_folder(text)


def is_fictional(manifest: object) -> bool:
    """True when a dataset's manifest marks it fictional (``"fictional": true``)."""
    return isinstance(manifest, dict) and manifest.get(FICTIONAL_KEY) is True
