"""Batches on other executors: a Dask LocalCluster, a factory, and clear errors for bad specs."""

from __future__ import annotations

import concurrent.futures
import multiprocessing

import pytest
from distributed import Client, LocalCluster

from lawnb.cli import main
from lawnb.errors import LawnbError
from lawnb.run.executors import executor_for


def spawn_pool() -> concurrent.futures.Executor:
    """A factory for the module:callable form of --executor."""
    return concurrent.futures.ProcessPoolExecutor(
        1, mp_context=multiprocessing.get_context("spawn")
    )


def not_a_pool() -> int:
    return 42


@pytest.mark.notebook
def test_lawnb_run_on_a_dask_cluster_returns_the_files_to_the_caller(
    tmp_path, repo_root, monkeypatch
):
    monkeypatch.chdir(repo_root)
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        # The workers run in another folder: they need no shared disk, the caller writes.
        code = main(
            [
                "run",
                "--executor",
                "dask",
                "--scheduler",
                cluster.scheduler_address,
                "--year",
                "2020",
                "--outputs",
                str(tmp_path),
                "--no-progress",
            ]
        )
        with Client(cluster) as client:
            assert client.run(lambda: True)  # the cluster was used and is still healthy
    assert code == 0
    html = (tmp_path / "2020" / "市中区" / "齐村镇.html").read_text(encoding="utf-8")
    assert "齐村镇2020年度法治政府建设情况分析" in html


@pytest.mark.notebook
def test_factory_executor(tmp_path, repo_root, monkeypatch):
    monkeypatch.chdir(repo_root)
    code = main(
        [
            "run",
            "--executor",
            "tests.run.test_executors:spawn_pool",
            "--year",
            "2020",
            "--outputs",
            str(tmp_path),
            "--no-progress",
        ]
    )
    assert code == 0 and (tmp_path / "2020" / "市中区" / "齐村镇.html").exists()


@pytest.mark.parametrize(
    ("spec", "scheduler", "message"),
    [
        ("threads", None, "无法识别"),
        ("dask", None, "需要 --scheduler"),
        ("no_such_module:make", None, "找不到"),
        ("tests.run.test_executors:not_a_pool", None, "不是 concurrent.futures.Executor"),
    ],
)
def test_bad_executor_specs_are_clear_errors(spec, scheduler, message):
    with pytest.raises(LawnbError, match=message), executor_for(spec, scheduler=scheduler):
        pass
