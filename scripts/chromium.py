"""Where Debian's Chromium is and how OrderHub's tools launch it: one place for the browser
tests (tests/e2e), the screenshot scripts and scripts/ensure_chromium.py."""

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
