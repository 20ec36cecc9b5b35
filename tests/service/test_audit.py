"""The audit trail: every screening request recorded with who, when, digests (never the data),
list versions and hits; the hash chain detects any change, removal or reordering, also when
several processes append at once."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
from dataclasses import replace
from pathlib import Path

import pytest

from interdict.errors import WorkspaceError
from interdict.model import Entity
from interdict.service import create_app
from interdict.service.audit import GENESIS, AuditLog, canonical, verify_audit
from interdict.service.config import ServiceSettings
from interdict.service.state import IndexHolder
from tests.disk import PAGE, fill, free, small_disk
from tests.service.conftest import TestClient, bearer, status_of


def entries(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_chain_of_appends(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "audit.jsonl")
    first = log.append({"who": "a"})
    second = log.append({"who": "b"})
    log.close()
    one, two = entries(tmp_path / "audit.jsonl")
    assert (one["seq"], one["prev"], two["prev"]) == (1, GENESIS, first[1])
    assert second == (2, two["hash"])
    check = verify_audit(tmp_path / "audit.jsonl")
    assert (check.ok, check.entries, check.head) == (True, 2, two["hash"])


def test_a_reopened_log_continues_the_chain(tmp_path: Path) -> None:
    AuditLog(tmp_path / "a.jsonl").append({"n": 1})
    again = AuditLog(tmp_path / "a.jsonl")
    assert again.append({"n": 2})[0] == 2
    assert verify_audit(tmp_path / "a.jsonl").ok


@pytest.mark.parametrize(
    ("tamper", "problem", "line"),
    [
        (lambda lines: [lines[0], lines[1].replace('"b"', '"B"'), lines[2]], "was changed", 2),
        (lambda lines: [lines[0], lines[2]], "sequence number", 2),
        (lambda lines: [lines[1], lines[0], lines[2]], "sequence number", 1),
        (lambda lines: [*lines[:2], lines[2][:-5]], "not JSON", 3),
        (lambda lines: [lines[0], "[]", lines[2]], "not an audit entry", 2),
    ],
)
def test_tampering_is_found_with_its_line(tmp_path: Path, tamper, problem: str, line: int) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "audit.jsonl"
    log = AuditLog(path)
    for who in ("a", "b", "c"):
        log.append({"who": who})
    lines = path.read_text().splitlines()
    path.write_text("\n".join(tamper(lines)) + "\n")
    check = verify_audit(path)
    assert not check.ok
    assert problem in (check.problem or "")
    assert check.line == line


def test_rehashed_forgery_still_breaks_the_chain(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    log = AuditLog(path)
    for who in ("a", "b", "c"):
        log.append({"who": who})
    records = entries(path)
    forged = {k: v for k, v in records[1].items() if k != "hash"} | {"who": "mallory"}
    forged["hash"] = hashlib.sha256(canonical(forged)).hexdigest()
    records[1] = forged
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    check = verify_audit(path)
    assert not check.ok and check.line == 3 and "does not chain" in (check.problem or "")


def _append_many(path: str, who: str) -> None:
    log = AuditLog(Path(path))
    for n in range(50):
        log.append({"who": who, "n": n})
    log.close()


def test_several_processes_keep_one_chain(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_append_many, args=(str(path), f"p{i}")) for i in range(3)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    check = verify_audit(path)
    assert (check.ok, check.entries) == (True, 150)


def test_digests_are_keyed(tmp_path: Path) -> None:
    one, two = AuditLog(tmp_path / "one" / "a.jsonl"), AuditLog(tmp_path / "two" / "a.jsonl")
    assert one.digest(b"Usama bin Ladin") == one.digest(b"Usama bin Ladin")
    assert one.digest(b"Usama bin Ladin") != two.digest(b"Usama bin Ladin")
    plain = hashlib.sha256(b"Usama bin Ladin").hexdigest()
    assert one.digest(b"Usama bin Ladin") != plain
    assert (tmp_path / "one" / "a.jsonl.key").stat().st_mode & 0o077 == 0


def test_screening_requests_are_audited_without_personal_data(
    client: TestClient, keys: dict[str, str], settings: ServiceSettings
) -> None:
    parties = {
        "parties": [
            {"id": "CUST-778", "name": "Usama bin Ladin", "birth_date": "1957-03-10"},
            {"id": "CUST-779", "name": "Zarina Qodirova", "id_number": "PX9912"},
        ]
    }
    response = client.post("/screen", json=parties, headers=bearer(keys["client"]))
    bad = client.post("/screen", json={"parties": [{"id": "x"}]}, headers=bearer(keys["client"]))
    assert (response.status_code, bad.status_code) == (200, 422)
    text = settings.audit_log.read_text()
    for secret in ("Ladin", "Qodirova", "1957", "PX9912", "CUST-77"):
        assert secret not in text
    screened, rejected = entries(settings.audit_log)
    assert screened["seq"] == int(response.headers["x-audit-seq"])
    assert screened["who"] == keys["client"].split("_")[1] and screened["role"] == "client"
    assert screened["route"] == "POST /screen" and screened["outcome"] == "screened"
    assert screened["lists"] == {"test": 1} and screened["matcher"] == "name_v1"
    assert screened["parties"] == 2 and len(screened["parties_digest"]) == 64  # type: ignore[arg-type]
    assert screened["hits"][0]["entity_id"] == "test:T4"  # type: ignore[index]
    assert screened["request_id"] == response.headers["x-request-id"]
    assert (rejected["outcome"], rejected["status"], rejected["error"]) == (
        "rejected",
        422,
        "bad_input",
    )
    assert verify_audit(settings.audit_log).ok


def test_verify_route_for_analysts(client: TestClient, keys: dict[str, str]) -> None:
    client.post(
        "/screen", json={"parties": [{"id": "1", "name": "A"}]}, headers=bearer(keys["client"])
    )
    body = client.get("/audit/verify", headers=bearer(keys["analyst"])).json()
    assert body["ok"] is True and body["entries"] == 1 and len(body["head"]) == 64


# -- a full disk: a failed append leaves no half line, and the service recovers by itself ------


def leave_room(log: AuditLog, path: Path, room: int) -> None:
    """Append entries so that only ``room`` bytes of the file's last page remain free."""
    log.append({"pad": ""})
    size = path.stat().st_size
    overhead = len(path.read_bytes().splitlines(keepends=True)[-1])  # a line with pad ""
    log.append({"pad": "x" * ((PAGE - room - size % PAGE - overhead) % PAGE)})
    assert PAGE - path.stat().st_size % PAGE == room


def test_a_short_write_on_a_full_disk_is_cut_back_to_the_last_entry(tmp_path: Path) -> None:
    with small_disk(tmp_path / "disk") as disk:
        path = disk / "audit.jsonl"
        log = AuditLog(path)
        log.append({"who": "a"})
        leave_room(log, path, 300)
        before = path.read_bytes()
        filler = fill(disk)
        # The next line is longer than the 300 bytes left in the file's last page: the kernel
        # writes what fits and reports a short write.
        with pytest.raises(WorkspaceError, match="cannot write the audit log"):
            log.append({"who": "b", "long": "y" * 2000})
        assert path.read_bytes() == before
        with pytest.raises(WorkspaceError):  # still full: still refused, still no half line
            log.append({"who": "c", "long": "y" * 2000})
        assert path.read_bytes() == before
        free(filler)
        assert log.append({"who": "d"})[0] == 4
        log.close()
        check = verify_audit(path)
        assert (check.ok, check.entries) == (True, 4)


def test_the_service_answers_503_while_the_disk_is_full_and_recovers_after(
    tmp_path: Path, entities: list[Entity], keys: dict[str, str], settings: ServiceSettings
) -> None:
    party = {"parties": [{"id": "c1", "name": "Usama bin Ladin"}]}
    holder = IndexHolder.of_entities(entities, status_of(entities))
    with small_disk(tmp_path / "disk") as disk:
        audit = disk / "audit.jsonl"
        padding = AuditLog(audit)
        leave_room(padding, audit, 100)
        padding.close()
        settings = replace(settings, audit_log=audit)
        app = create_app(settings, holder=holder)
        with TestClient(app, raise_server_exceptions=False) as client:
            filler = fill(disk)
            full = [client.post("/screen", json=party, headers=bearer(keys["client"]))]
            full.append(client.post("/screen", json=party, headers=bearer(keys["client"])))
            full.append(client.get("/audit/verify", headers=bearer(keys["client"])))  # a 403
            assert [r.status_code for r in full] == [503, 503, 503]
            error = full[0].json()["error"]
            assert "no space left" in error["message"].lower()
            assert str(disk) not in full[0].text  # no server paths in the answer
            free(filler)
            again = client.post("/screen", json=party, headers=bearer(keys["client"]))
            assert again.status_code == 200
            assert again.json()["results"][0]["matches"]
        check = verify_audit(audit)
        assert (check.ok, check.entries) == (True, 3)
