"""A real Spark cluster: a standalone master and two workers on 127.0.0.1, each a separate JVM
with its own executor and Python workers. A screening job and a monitoring job submitted to it
through ``INTERDICT_SPARK_MASTER`` write exactly what the embedded DuckDB engine writes, so
nothing works only because driver and executors share one process.

The master and workers are the ones that ship inside the ``pyspark`` package
(``bin/spark-class org.apache.spark.deploy.master.Master`` / ``…deploy.worker.Worker``).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from interdict.readers.transactions import write_transactions
from tests.engines.parity import SPARK_MISSING
from tests.engines.test_spark import transactions
from tests.runner import command, environment

pytestmark = [
    pytest.mark.spark,
    pytest.mark.slow,
    pytest.mark.skipif(
        SPARK_MISSING is not None, reason=f"the spark engine cannot run here: {SPARK_MISSING}"
    ),
]

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
LOOPBACK = "127.0.0.1"
WORKERS = 2
STARTUP_SECONDS = 120


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])


def _spark_class() -> Path:
    from pyspark.find_spark_home import _find_spark_home

    return Path(_find_spark_home()) / "bin" / "spark-class"


@dataclass(frozen=True)
class Cluster:
    master_url: str
    status_url: str
    logs: Path

    def env(self, home: Path) -> dict[str, str]:
        """The environment of an ``interdict`` command that submits to this cluster."""
        return {
            **environment(home),
            "INTERDICT_SPARK_MASTER": self.master_url,
            "PYSPARK_PYTHON": sys.executable,
            "SPARK_LOCAL_IP": LOOPBACK,
            # spark-submit options as a user passes them: small jobs want few shuffle partitions
            "PYSPARK_SUBMIT_ARGS": "--conf spark.sql.shuffle.partitions=4 pyspark-shell",
        }


def _cluster_env(work: Path) -> dict[str, str]:
    return {
        **os.environ,
        "SPARK_LOCAL_IP": LOOPBACK,
        "SPARK_LOG_DIR": str(work / "logs"),
        "SPARK_WORKER_DIR": str(work / "work"),
        "PYSPARK_PYTHON": sys.executable,
        "SPARK_NO_DAEMONIZE": "1",
    }


def _wait_for_workers(status_url: str, processes: list[subprocess.Popen[bytes]]) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if any(p.poll() is not None for p in processes):
            raise RuntimeError("a Spark daemon exited while the cluster was starting")
        try:
            alive = httpx.get(status_url, timeout=2).json().get("aliveworkers", 0)
        except (httpx.HTTPError, ValueError):
            alive = 0
        if alive >= WORKERS:
            return
        time.sleep(1)
    raise RuntimeError(f"{WORKERS} workers did not register within {STARTUP_SECONDS} s")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    work = tmp_path_factory.mktemp("spark-cluster")
    (work / "logs").mkdir()
    env = _cluster_env(work)
    port, ui = _free_port(), _free_port()
    spark_class = str(_spark_class())
    master_url = f"spark://{LOOPBACK}:{port}"
    processes: list[subprocess.Popen[bytes]] = []
    logs = [(work / "logs" / f"daemon-{i}.log").open("wb") for i in range(WORKERS + 1)]
    try:
        master = [spark_class, "org.apache.spark.deploy.master.Master"]
        master += ["--host", LOOPBACK, "--port", str(port), "--webui-port", str(ui)]
        processes.append(subprocess.Popen(master, env=env, stdout=logs[0], stderr=logs[0]))
        for index in range(WORKERS):
            worker = [spark_class, "org.apache.spark.deploy.worker.Worker", master_url]
            worker += ["--host", LOOPBACK, "--cores", "1", "--memory", "1g"]
            worker += ["--webui-port", str(_free_port())]
            worker += ["--work-dir", str(work / f"worker-{index}")]
            log = logs[index + 1]
            processes.append(subprocess.Popen(worker, env=env, stdout=log, stderr=log))
        status_url = f"http://{LOOPBACK}:{ui}/json/"
        _wait_for_workers(status_url, processes)
        yield Cluster(master_url, status_url, work / "logs")
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        for log in logs:
            log.close()


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command(*args), capture_output=True, text=True, env=env, timeout=600, check=False
    )


def _workspace(tmp_path: Path) -> Path:
    home = tmp_path / "ws"
    listed = FIXTURES / "cli" / "inhouse.csv"
    done = _run(environment(home), "lists", "import", str(listed), "--format", "csv", "--name", "x")
    assert done.returncode == 0, done.stderr
    return home


def test_cluster_has_two_workers(cluster: Cluster) -> None:
    status = httpx.get(cluster.status_url, timeout=5).json()
    assert status["aliveworkers"] == WORKERS
    assert {w["host"] for w in status["workers"]} == {LOOPBACK}


def test_screening_on_the_cluster_writes_what_duckdb_writes(
    cluster: Cluster, tmp_path: Path
) -> None:
    home = _workspace(tmp_path)
    customers = FIXTURES / "cli" / "customers.csv"
    outputs = {}
    for engine in ("duckdb", "spark"):
        out = tmp_path / f"{engine}.jsonl"
        args = ["screen", str(customers), "--out", str(out), "--engine", engine]
        done = _run(cluster.env(home), *args, "--workers", "1")
        assert done.returncode == 0, done.stderr[-3000:]
        outputs[engine] = out.read_bytes()
    assert outputs["spark"] == outputs["duckdb"]
    assert outputs["duckdb"].count(b"\n") >= 5


def test_monitoring_on_the_cluster_writes_what_duckdb_writes(
    cluster: Cluster, tmp_path: Path
) -> None:
    home = tmp_path / "ws"
    env = cluster.env(home)
    table = tmp_path / "tx.parquet"
    write_transactions(transactions(), table)  # one small instance of every typology
    outputs = {}
    for engine in ("duckdb", "spark"):
        out = tmp_path / f"alerts-{engine}.jsonl"
        done = _run(env, "monitor", "run", str(table), "--out", str(out), "--engine", engine)
        assert done.returncode == 0, done.stderr[-3000:]
        outputs[engine] = sorted(out.read_text("utf-8").splitlines())
    assert outputs["spark"] == outputs["duckdb"]
    assert len(outputs["duckdb"]) >= 10, "every typology has an instance: rules must alert"
