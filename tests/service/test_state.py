"""Hot reload: a new list version is swapped in atomically; requests in flight finish on the old
index, new ones use the new one at once; the workspace is never held between reads, so
``interdict lists import`` from another process goes through while the service runs."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx

from interdict.model import Entity, Name, Provenance, Schema
from interdict.service import create_app
from interdict.service.config import ServiceSettings
from interdict.service.state import IndexHolder, ListStatus, paced
from tests.service.conftest import INHOUSE, TestClient, bearer, interdict, status_of

SCREEN = {"parties": [{"id": "1", "name": "Usama bin Ladin"}]}


def version_two() -> list[Entity]:
    return [
        Entity(
            source_id="N1",
            schema=Schema.PERSON,
            names=(Name(full="Usama bin Ladin"),),
            provenance=Provenance(list_name="test", list_version=2),
        )
    ]


def test_in_flight_requests_finish_on_the_old_index(
    settings: ServiceSettings, entities: list[Entity], keys: dict[str, str]
) -> None:
    holder = IndexHolder.of_entities(entities, status_of(entities))
    old = holder.current.screener
    entered, release = threading.Event(), threading.Event()
    original = old.screen

    def slow(party: Any, **options: Any) -> Any:
        entered.set()
        release.wait(10)
        return original(party, **options)

    old.screen = slow  # type: ignore[method-assign]
    answers: list[httpx.Response] = []
    with TestClient(create_app(settings, holder=holder)) as client:
        worker = threading.Thread(
            target=lambda: answers.append(
                client.post("/screen", json=SCREEN, headers=bearer(keys["client"]))
            )
        )
        worker.start()
        assert entered.wait(10)
        holder.swap_in(version_two(), [ListStatus("test", 2, 1, "2026-02-01T00:00:00", None, "1")])
        started = time.perf_counter()
        fresh = client.post("/screen", json=SCREEN, headers=bearer(keys["client"]))
        waited = time.perf_counter() - started
        release.set()
        worker.join(10)
    assert fresh.json()["results"][0]["list_versions"] == {"test": 2}
    assert fresh.json()["results"][0]["matches"][0]["source_id"] == "N1"
    assert waited < 5  # the new request did not wait for the old one
    [in_flight] = answers
    assert in_flight.json()["results"][0]["list_versions"] == {"test": 1}
    assert in_flight.json()["results"][0]["matches"][0]["source_id"] == "T4"


def test_reload_reads_the_workspace_only_when_it_changed(workspace: Path) -> None:
    holder = IndexHolder(workspace)
    assert holder.reload(force=True) is True
    assert holder.current.versions == (("inhouse", 1),)
    assert holder.reload() is False  # files unchanged: the database is not even opened
    assert holder.reload(force=True) is False  # opened, same versions: no new index
    assert holder.current.generation == 1


def test_import_from_another_process_while_served(workspace: Path, tmp_path: Path) -> None:
    holder = IndexHolder(workspace)
    holder.reload(force=True)
    source = tmp_path / "v2.csv"
    source.write_text(INHOUSE + "W5,Abu Hafs al-Masri,Person,,,\n", encoding="utf-8")
    started = time.perf_counter()
    done = interdict(
        workspace, "lists", "import", str(source), "--format", "csv", "--name", "inhouse"
    )
    assert done.returncode == 0, done.stderr
    assert time.perf_counter() - started < 60
    holder.watch(0.2)
    try:
        deadline = time.monotonic() + 30
        while holder.current.versions != (("inhouse", 2),) and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        holder.stop()
    assert holder.current.versions == (("inhouse", 2),)
    assert holder.current.lists[0].entities == 5
    assert holder.current.generation == 2


def test_serve_only_some_lists(workspace: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.csv"
    other.write_text("id,name\nX1,Somebody Else\n", encoding="utf-8")
    done = interdict(workspace, "lists", "import", str(other), "--format", "csv", "--name", "other")
    assert done.returncode == 0, done.stderr
    holder = IndexHolder(workspace, ("other",))
    holder.reload(force=True)
    assert holder.current.versions == (("other", 1),)


def test_a_failed_reload_keeps_serving(tmp_path: Path, workspace: Path) -> None:
    holder = IndexHolder(workspace)
    holder.reload(force=True)
    (workspace / "interdict.duckdb").write_bytes(b"this is not a database")
    holder.watch(0.1)
    try:
        deadline = time.monotonic() + 10
        while not holder.reloads["failed"] and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        holder.stop()
    assert holder.reloads["failed"] >= 1
    assert holder.current.versions == (("inhouse", 1),)


def test_paced_build_yields_everything_at_about_its_share() -> None:
    def busy(items: list[int]) -> Iterator[int]:
        for item in items:
            deadline = time.perf_counter() + 0.002
            while time.perf_counter() < deadline:
                pass
            yield item

    items = list(range(100))
    started = time.perf_counter()
    assert list(busy(items)) == items
    alone = time.perf_counter() - started
    started = time.perf_counter()
    assert list(paced(busy(items), 0.5)) == items  # type: ignore[arg-type]
    shared = time.perf_counter() - started
    assert shared > 1.5 * alone
    assert list(paced(iter(items), 1.0)) == items  # type: ignore[arg-type]
