"""lawnb.bundled: the one rule for relative dataset paths, the bundled names, the fictional mark."""

from __future__ import annotations

from pathlib import Path

import pytest

from lawnb.bundled import (
    BUNDLED,
    bundled_path,
    dataset_argument,
    dataset_folder,
    is_fictional,
    project_root,
    resolve_dataset_path,
)
from lawnb.errors import DatasetError
from lawnb.store.loading import load_dataset


@pytest.fixture
def project(tmp_path: Path, monkeypatch) -> Path:
    (tmp_path / "params").mkdir()
    (tmp_path / "notebooks").mkdir()
    monkeypatch.chdir(tmp_path / "notebooks")
    return tmp_path


def test_a_relative_path_is_relative_to_the_project_root_from_any_subfolder(project):
    assert project_root() == project
    assert dataset_folder("data/2021").resolve() == project / "data" / "2021"
    assert dataset_argument("data/2021").resolve() == project / "data" / "2021"
    assert resolve_dataset_path("data/2021")[0].resolve() == project / "data" / "2021"
    assert resolve_dataset_path("data/2021")[1] == "data/2021"  # the label as typed


def test_a_params_file_resolves_from_its_own_project(project, tmp_path_factory):
    other = tmp_path_factory.mktemp("other")
    (other / "params").mkdir()
    assert dataset_folder("data", start=other / "params").resolve() == other / "data"


def test_without_a_project_the_current_folder_is_the_root(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert project_root() == tmp_path.resolve()
    assert dataset_folder("x") == Path("x")


def test_absolute_paths_and_bundled_names_stay_what_they_are(project, tmp_path):
    assert dataset_folder(tmp_path / "d") == tmp_path / "d"
    for name in BUNDLED:
        assert dataset_argument(name) == Path(name)
        assert resolve_dataset_path(name) == (bundled_path(name), name)
    with pytest.raises(DatasetError, match="sample"):
        bundled_path("nope")


def test_a_missing_folder_names_the_absolute_path_and_the_bundled_datasets(project):
    with pytest.raises(DatasetError) as caught:
        load_dataset("data/nowhere")
    message = str(caught.value)
    assert (
        str(project / "data" / "nowhere") in message and "sample" in message and "demo" in message
    )


@pytest.mark.parametrize(
    ("manifest", "fictional"),
    [
        ({"fictional": True}, True),
        ({"fictional": False}, False),
        ({}, False),
        (None, False),
        ({"fictional": "yes"}, False),
    ],
)
def test_only_a_true_flag_marks_a_dataset_fictional(manifest, fictional):
    assert is_fictional(manifest) is fictional
