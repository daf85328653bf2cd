"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

One browser per test session (per xdist worker), a fresh context (cookies, storage) per
test. Where /usr/bin/chromium is missing the tests skip and say how to install it.
"""

from __future__ import annotations

import os

import pytest
from chromium import CHROMIUM, CHROMIUM_ARGS  # scripts/chromium.py (on pytest's pythonpath)

# Playwright's sync API runs an event loop in the test thread; Django would then refuse
# ORM calls from that thread, which the tests need to set up and check data.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORDS = {"ann@example.com": "correct horse 42", "bob@example.com": "correct horse 43"}


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip("Chromium is not installed: run scripts/ensure_chromium.py")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1400, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def signed_in(page, user, live_server):
    """A page whose browser is signed in as `user` (through a real session cookie)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )
    return page


def sign_in(page, email: str) -> None:
    page.goto("/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORDS[email])
    page.get_by_role("button", name="Sign in").click()
