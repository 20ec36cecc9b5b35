"""Sessions: a token names one session, idle and absolute expiry, sign-out, CSRF check, and
every process sharing the folder (workers) sees the same sessions."""

from __future__ import annotations

from pathlib import Path

from interdict.service.ui.sessions import IDLE_SECONDS, MAX_SECONDS, SessionStore


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def test_a_token_finds_its_session_until_idle_too_long(tmp_path: Path) -> None:
    clock = Clock()
    store = SessionStore(tmp_path, clock)
    token, session = store.start("abcd1234")
    assert getattr(store.find(token), "csrf", None) == session.csrf
    assert store.find(token + "x") is None and store.find(None) is None
    clock.now += IDLE_SECONDS - 1
    assert store.find(token) is not None  # use restarts the idle time
    clock.now += IDLE_SECONDS + 1
    assert store.find(token) is None


def test_a_busy_session_still_ends_at_the_absolute_limit(tmp_path: Path) -> None:
    clock = Clock()
    store = SessionStore(tmp_path, clock)
    token, _ = store.start("abcd1234")
    while clock.now < 1_000_000.0 + MAX_SECONDS - 60:
        clock.now += IDLE_SECONDS / 2
        assert store.find(token) is not None
    clock.now += IDLE_SECONDS / 2
    assert store.find(token) is None


def test_sign_out_forgets_the_session_and_csrf_is_exact(tmp_path: Path) -> None:
    store = SessionStore(tmp_path)
    token, session = store.start("abcd1234")
    assert session.csrf_ok(session.csrf)
    assert not session.csrf_ok(session.csrf[:-1]) and not session.csrf_ok(None)
    store.end(token)
    assert store.find(token) is None


def test_another_process_sees_the_session_and_its_messages(tmp_path: Path) -> None:
    token, session = SessionStore(tmp_path).start("abcd1234")
    session.flash("ok", "done")
    other = SessionStore(tmp_path).find(token)  # another worker: a store of its own
    assert other is not None and other.csrf == session.csrf
    assert other.take_flashes() == [("ok", "done")]
    again = SessionStore(tmp_path).find(token)
    assert again is not None and again.take_flashes() == []
    assert [p.name for p in tmp_path.iterdir()] == [
        session.saved_as.name if session.saved_as else ""
    ]
    assert oct(next(tmp_path.iterdir()).stat().st_mode & 0o777) == "0o600"  # no key, only ids


def test_a_damaged_session_file_is_no_session(tmp_path: Path) -> None:
    store = SessionStore(tmp_path)
    token, session = store.start("abcd1234")
    assert session.saved_as is not None
    session.saved_as.write_text("{not json", encoding="utf-8")
    assert store.find(token) is None and not session.saved_as.exists()
