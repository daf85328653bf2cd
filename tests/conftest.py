"""Fixtures shared by every test layer: users, stores and event capture."""

from __future__ import annotations

import json

import pytest

from orderhub.orders import events


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Tests make many users; the real hasher's deliberate slowness buys them nothing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def user(django_user_model):
    return django_user_model.objects.create_user(
        username="ann@example.com", email="ann@example.com", password="correct horse 42"
    )


@pytest.fixture
def other_user(django_user_model):
    return django_user_model.objects.create_user(
        username="bob@example.com", email="bob@example.com", password="correct horse 43"
    )


@pytest.fixture
def store(user):
    from orderhub.stores.services import create_store

    return create_store("Ann's Shop", actor=None, owner=user)


@pytest.fixture
def other_store(other_user):
    from orderhub.stores.services import create_store

    return create_store("Bob's Shop", actor=None, owner=other_user)


@pytest.fixture
def capture_events(django_capture_on_commit_callbacks):
    """Run a callable and return (result, events published after its commit).

    Each event is round-tripped through JSON, because events also feed queued jobs.
    """

    def run(fn, *args, **kwargs):
        captured: list[events.OrderEvent] = []
        events.subscribe(events.OrderEvent, captured.append, dispatch_uid="test-capture")
        try:
            with django_capture_on_commit_callbacks(execute=True):
                result = fn(*args, **kwargs)
        finally:
            events.unsubscribe(events.OrderEvent, dispatch_uid="test-capture")
        for event in captured:
            assert events.OrderEvent.from_json(event.to_json()) == event
            json.loads(event.to_json())
        return result, captured

    return run
