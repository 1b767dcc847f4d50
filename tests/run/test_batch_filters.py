"""lawnb run's --year and --unit narrow the params files before any file is checked, and two
params files that would write the same page are named together."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from lawnb.errors import ParamsError
from lawnb.run.batch import plan_jobs
from lawnb.store.loading import load_dataset

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the shipped params files and notebooks (sample 2020, demo 2021-2023)."""
    shutil.copytree(ROOT / "params", tmp_path / "params")
    shutil.copytree(ROOT / "notebooks", tmp_path / "notebooks")
    return tmp_path


def _plan(project: Path, **narrow) -> list:
    return plan_jobs(
        sorted((project / "params").glob("*.yaml")),
        open_dataset=load_dataset,
        notebooks_dir=project / "notebooks",
        outputs=project / "outputs",
        **narrow,
    )


def test_a_unit_of_one_year_runs_although_other_years_do_not_have_it(project):
    jobs = _plan(project, years=[2021], units=["东湖镇"])
    assert {(j.unit, j.parameters["year"]) for j in jobs} == {("东湖镇", 2021), ("", 2021)}


def test_a_unit_without_a_year_runs_in_every_year_that_has_it(project):
    jobs = [j for j in _plan(project, units=["东湖镇"]) if j.unit]
    assert sorted(j.parameters["year"] for j in jobs) == [2021, 2022, 2023]


def test_a_unit_no_params_file_has_is_an_error_naming_the_units_there_are(project):
    with pytest.raises(ParamsError, match="不存在镇") as caught:
        _plan(project, years=[2022], units=["不存在镇"])
    assert "2022年" in str(caught.value) and "东湖镇" in str(caught.value)


def test_a_broken_params_file_of_another_year_is_not_read_when_a_year_is_chosen(project):
    (project / "params" / "2019.yaml").write_text("year: 2019\nunits: [\n", encoding="utf-8")
    assert _plan(project, years=[2021], units=["东湖镇"])
    with pytest.raises(ParamsError, match=r"2019\.yaml"):
        _plan(project, years=[2019])


def test_two_params_files_writing_the_same_page_are_both_named(project):
    mine = project / "params" / "2021-我的.yaml"
    mine.write_text("year: 2021\ndataset: demo\nunits: [东湖镇]\n", encoding="utf-8")
    with pytest.raises(ParamsError) as caught:
        _plan(project)
    message = str(caught.value)
    assert "2021.yaml" in message and "2021-我的.yaml" in message and "东湖镇" in message


def test_a_params_files_timeout_goes_with_its_jobs(project):
    path = project / "params" / "2021.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "timeout: 45\n", encoding="utf-8")
    jobs = _plan(project)
    assert {j.timeout for j in jobs if j.parameters["year"] == 2021} == {45}
    assert {j.timeout for j in jobs if j.parameters["year"] != 2021} == {None}


@pytest.mark.notebook
def test_a_jobs_own_timeout_stops_a_slow_cell(tmp_path):
    import nbformat

    from lawnb.run.jobs import Job
    from lawnb.run.runner import render_job

    notebook = tmp_path / "slow.ipynb"
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("import time\ntime.sleep(30)")]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, notebook)
    job = Job(notebook, {}, tmp_path / "out" / "slow", "slow", timeout=2)
    rendered = render_job(job, timeout=600)
    assert rendered.failure is not None and "超过 2 秒" in rendered.failure.message


def test_a_params_file_may_send_its_pages_to_its_own_folder(project):
    path = project / "params" / "2021-我的.yaml"
    path.write_text(
        "year: 2021\ndataset: demo\nunits: [东湖镇]\noutput: 我的输出\n", encoding="utf-8"
    )
    jobs = [j for j in _plan(project, years=[2021]) if j.unit == "东湖镇"]
    stems = sorted(str(j.out_stem.relative_to(project)) for j in jobs)
    assert stems == ["outputs/2021/示例区/东湖镇", "我的输出/2021/示例区/东湖镇"]
    path.write_text("year: 2021\ndataset: demo\noutput: [1]\n", encoding="utf-8")
    with pytest.raises(ParamsError, match="output"):
        _plan(project, years=[2021])


@pytest.mark.notebook
def test_pages_in_a_params_files_own_folder_are_listed_in_the_index(project, monkeypatch):
    from lawnb.cli import main

    for old in (project / "params").glob("*.yaml"):
        old.unlink()
    (project / "params" / "2021.yaml").write_text(
        "year: 2021\ndataset: demo\nunits: [东湖镇]\nnotebooks: [annual_report]\noutput: 我的输出\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(project)
    assert main(["run", "--no-progress", "--jobs", "1"]) == 0
    assert (project / "我的输出" / "2021" / "示例区" / "东湖镇.html").is_file()
    index = (project / "outputs" / "index.html").read_text(encoding="utf-8")
    assert 'href="../%E6%88%91%E7%9A%84%E8%BE%93%E5%87%BA/2021/' in index
