"""Fixtures for the service: an app over hand-made entities, one key per role, a free port, and
a real ``interdict serve`` process over a real workspace."""

from __future__ import annotations

import os
import socket
import subprocess
import time
import warnings
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from interdict.model import Entity, Identifier, Name, Provenance, Schema
from interdict.service import create_app
from interdict.service.auth import KeyStore, Role
from interdict.service.config import ServiceSettings, load_service_settings
from interdict.service.state import IndexHolder, ListStatus
from tests.runner import command, interdict

with warnings.catch_warnings():
    # Starlette 1.x suggests httpx2 for its test client; httpx is what the service extra pins.
    warnings.simplefilter("ignore", UserWarning)
    from fastapi.testclient import TestClient

REPO = Path(__file__).resolve().parents[2]


BANK = Entity(
    source_id="B1",
    schema=Schema.ORGANIZATION,
    names=(Name(full="Hidden Harbour Bank"),),
    identifiers=(Identifier(kind="bic", value="HHBKTJ22XXX"),),
    provenance=Provenance(list_name="test", list_version=1),
)


@pytest.fixture
def entities(small_list: list[Entity]) -> list[Entity]:
    return [*small_list, BANK]


@pytest.fixture
def settings(tmp_path: Path) -> ServiceSettings:
    return load_service_settings({}, home=tmp_path / "ws", reload_seconds=0)


@pytest.fixture
def keys(settings: ServiceSettings) -> dict[str, str]:
    store = KeyStore(settings.keys_file)
    return {role.value: store.create(role, f"{role.value} key")[0] for role in Role}


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def status_of(entities: list[Entity]) -> list[ListStatus]:
    return [ListStatus("test", 1, len(entities), "2026-01-01T00:00:00+00:00", None, "0" * 64)]


@pytest.fixture
def client(
    settings: ServiceSettings, entities: list[Entity], keys: dict[str, str]
) -> Iterator[TestClient]:
    holder = IndexHolder.of_entities(entities, status_of(entities))
    with TestClient(create_app(settings, holder=holder), raise_server_exceptions=False) as c:
        yield c


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """A real ``interdict serve`` process on 127.0.0.1 and a free port."""

    def __init__(self, home: Path, *extra: str, env: dict[str, str] | None = None) -> None:
        self.home = home
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, **(env or {}), "INTERDICT_HOME": str(home)}
        self.log = (home / "server.log").open("w")
        self.process = subprocess.Popen(
            command("serve", "--port", str(self.port), *extra),
            env=env,
            cwd=REPO,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"server exited: {(self.home / 'server.log').read_text()}")
            try:
                if httpx.get(self.url + "/health", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.1)
        raise AssertionError("server did not start")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


INHOUSE = """id,name,schema,birth_date,country,id_number
W1,Usama bin Ladin,Person,1957,SA,
W2,Shokhrukh Rakhmonov,Person,1985-01-01,TJ,400123456
W3,Victory Foobar,Person,,,
W4,Andrea Steur,Person,1978-07-06,GB,
"""


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A real workspace with a small in-house list imported through the CLI."""
    home = tmp_path / "ws"
    source = tmp_path / "inhouse.csv"
    source.write_text(INHOUSE, encoding="utf-8")
    done = interdict(home, "lists", "import", str(source), "--format", "csv", "--name", "inhouse")
    assert done.returncode == 0, done.stderr
    return home


@pytest.fixture
def server(workspace: Path) -> Iterator[Server]:
    process = Server(workspace, "--reload-seconds", "0.5")
    try:
        process.wait_ready()
        yield process
    finally:
        process.stop()
