"""Sessions: a token names one session, idle and absolute expiry, sign-out, CSRF check."""

from __future__ import annotations

from interdict.service.ui.sessions import IDLE_SECONDS, MAX_SECONDS, SessionStore


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def test_a_token_finds_its_session_until_idle_too_long() -> None:
    clock = Clock()
    store = SessionStore(clock)
    token, session = store.start("abcd1234")
    assert store.find(token) is session
    assert store.find(token + "x") is None and store.find(None) is None
    clock.now += IDLE_SECONDS - 1
    assert store.find(token) is session  # use restarts the idle time
    clock.now += IDLE_SECONDS + 1
    assert store.find(token) is None


def test_a_busy_session_still_ends_at_the_absolute_limit() -> None:
    clock = Clock()
    store = SessionStore(clock)
    token, _ = store.start("abcd1234")
    while clock.now < 1_000_000.0 + MAX_SECONDS - 60:
        clock.now += IDLE_SECONDS / 2
        assert store.find(token) is not None
    clock.now += IDLE_SECONDS / 2
    assert store.find(token) is None


def test_sign_out_forgets_the_session_and_csrf_is_exact() -> None:
    store = SessionStore()
    token, session = store.start("abcd1234")
    assert session.csrf_ok(session.csrf)
    assert not session.csrf_ok(session.csrf[:-1]) and not session.csrf_ok(None)
    store.end(token)
    assert store.find(token) is None


def test_flashes_are_shown_once() -> None:
    _, session = SessionStore().start("abcd1234")
    session.flash("ok", "done")
    assert session.take_flashes() == [("ok", "done")]
    assert session.take_flashes() == []
