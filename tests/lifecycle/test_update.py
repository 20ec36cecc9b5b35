"""Updates from a publisher URL (a local HTTP server) and from a folder: refusals, no-ops, order."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from interdict.lifecycle.diff import diff_versions
from interdict.lifecycle.sources import load_sources
from interdict.lifecycle.update import update_lists
from interdict.store import Workspace

ROWS = "".join(f"T{i},Person Number{i} Karimov\n" for i in range(10))
LIST_CSV = "id,name\n" + ROWS


class _Publisher(BaseHTTPRequestHandler):
    """Serves ``files[path]``; ``short[path]`` claims more bytes than it sends."""

    files: ClassVar[dict[str, bytes]] = {}
    short: ClassVar[set[str]] = set()

    def do_GET(self) -> None:
        body = self.files.get(self.path)
        if body is None:
            self.send_error(404)
            return
        self.send_response(200)
        extra = 1000 if self.path in self.short else 0
        self.send_header("Content-Length", str(len(body) + extra))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def publisher() -> Iterator[str]:
    _Publisher.files, _Publisher.short = {}, set()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Publisher)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _sources(home: Path, url: str) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "sources.yaml").write_text(
        f"lists:\n  inhouse:\n    format: csv\n    files:\n"
        f"      - url: {url}/list.csv\n        save_as: list.csv\n",
        encoding="utf-8",
    )


def _update(home: Path) -> tuple[str, str]:
    (outcome,) = update_lists(home, load_sources(home))
    return outcome.status, outcome.message


def _active(home: Path, name: str = "inhouse") -> tuple[int, int]:
    with Workspace(home, read_only=True) as ws:
        version = ws.version(name)
    return version.version, version.entity_count


def test_update_imports_then_skips_unchanged_content(tmp_path: Path, publisher: str) -> None:
    home = tmp_path / "ws"
    _sources(home, publisher)
    _Publisher.files["/list.csv"] = LIST_CSV.encode()
    assert _update(home)[0] == "imported"
    assert _update(home) == ("unchanged", "same content as version 1")
    _Publisher.files["/list.csv"] = (LIST_CSV + "\n\n").encode()  # other bytes, same entities
    assert _update(home)[0] == "unchanged"
    _Publisher.files["/list.csv"] = (LIST_CSV + "T99,Another Person\n").encode()
    assert _update(home)[0] == "imported"
    assert _active(home) == (2, 11)


@pytest.mark.parametrize(
    ("body", "short", "expected"),
    [
        (LIST_CSV, True, "download truncated"),
        ("<html><body>Service unavailable</body></html>", False, "missing column"),
        ("id,name\nT1,Person Number1 Karimov\n", False, "1 entities against 10"),
    ],
    ids=["truncated", "corrupted", "drastically-smaller"],
)
def test_bad_downloads_are_refused_and_the_last_good_version_stays(
    tmp_path: Path, publisher: str, body: str, short: bool, expected: str
) -> None:
    home = tmp_path / "ws"
    _sources(home, publisher)
    _Publisher.files["/list.csv"] = LIST_CSV.encode()
    assert _update(home)[0] == "imported"
    _Publisher.files["/list.csv"] = body.encode()
    if short:
        _Publisher.short.add("/list.csv")
    status, message = _update(home)
    assert status == "refused" and expected in message
    assert _active(home) == (1, 10)


def test_unreachable_publisher_fails_clearly(tmp_path: Path, publisher: str) -> None:
    home = tmp_path / "ws"
    _sources(home, publisher)
    status, message = _update(home)
    assert status == "failed" and "HTTP 404" in message


def test_rolled_back_content_is_not_reactivated(tmp_path: Path, publisher: str) -> None:
    home = tmp_path / "ws"
    _sources(home, publisher)
    _Publisher.files["/list.csv"] = LIST_CSV.encode()
    _update(home)
    _Publisher.files["/list.csv"] = (LIST_CSV + "T99,Wrong Entry\n").encode()
    _update(home)
    with Workspace(home) as ws:
        assert ws.rollback("inhouse").version == 1
    status, message = _update(home)
    assert status == "skipped" and "rolled back" in message
    assert _active(home) == (1, 10)


def test_update_from_folder_imports_un_snapshots_in_order(
    tmp_path: Path, shared_data: Path
) -> None:
    home = tmp_path / "ws"
    sources = {"un": load_sources()["un"]}
    outcomes = update_lists(home, sources, from_dir=shared_data / "lists" / "un")
    assert [(o.status, o.version) for o in outcomes] == [("imported", 1), ("imported", 2)]
    with Workspace(home, read_only=True) as ws:
        diff = diff_versions(ws, "un")
    assert [e.source_id for e in diff.added] == ["SDi.007", "SDi.008", "SDi.009", "SDi.010"]
    again = update_lists(home, sources, from_dir=shared_data / "lists" / "un")
    assert [o.status for o in again] == ["unchanged", "unchanged"]
    assert "older snapshot" in again[0].message and again[0].version == 2


def test_an_older_file_never_imported_is_refused(tmp_path: Path, shared_data: Path) -> None:
    home, newer, older = tmp_path / "ws", tmp_path / "newer", tmp_path / "older"
    for folder, day in ((newer, "2026-02-27"), (older, "2026-01-28")):
        folder.mkdir()
        name = f"un_consolidated_{day}.xml"
        shutil.copyfile(shared_data / "lists" / "un" / name, folder / name)
    sources = {"un": load_sources()["un"]}
    assert [o.status for o in update_lists(home, sources, from_dir=newer)] == ["imported"]
    [stale] = update_lists(home, sources, from_dir=older)
    assert stale.status == "refused" and "before the active version" in stale.message
    assert _active(home, "un")[0] == 1


def test_packaged_sources_name_the_official_publishers() -> None:
    sources = load_sources()
    assert sources["un"].files[0].url == (
        "https://scsanctions.un.org/resources/xml/en/consolidated.xml"
    )
    assert {"un", "eu", "ofac", "uk"} <= {n for n, s in sources.items() if s.enabled}
    assert not sources["kg_fiu"].fetchable
