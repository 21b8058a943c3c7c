"""Real-browser tests: Debian's Chromium driven by Playwright against Django's live server.

Playwright never downloads a browser here: it launches the system Chromium by its path
(CHROMIUM, or `chromium` on PATH). Missing tools fail the run loudly instead of skipping.
"""

import functools
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache, caches
from django.test import Client
from django.urls import reverse

# Playwright's sync API runs an event loop in the test's thread; Django refuses ORM calls from
# a thread with a running loop unless told this is a test that knows what it does.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

NODE_MODULES = Path(settings.BASE_DIR) / "node_modules"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
CHROMIUM = (
    os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}


# A browser test drives Chromium through several pages and may run the HTML checker: five minutes,
# where an ordinary test gets one (tests/time_limits.py).
BROWSER_TEST_TIME_LIMIT = 300


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)
            if item.get_closest_marker("timeout") is None:
                item.add_marker(pytest.mark.timeout(BROWSER_TEST_TIME_LIMIT))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM:
        pytest.fail("Chromium introuvable : installez-le (apt-get install chromium) ou CHROMIUM=…")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": CHROMIUM_ARGS,
        "headless": True,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        "locale": "fr-FR",
        "timezone_id": "Europe/Paris",
        "viewport": DESKTOP,
    }


@pytest.fixture(autouse=True)
def _fresh_cache(transactional_db):
    """The join form's rate limit lives in the database cache, which flushing the test database
    does not empty: without this, the sixth form sent in a session would get the 429 page."""
    cache.clear()
    caches["limits"].clear()


@pytest.fixture(autouse=True)
def _site_url(live_server, settings):
    """The links in mails and calendars lead to the live server the browser drives (the other
    tests' SITE_URL is the test client's host: pyproject.toml)."""
    settings.SITE_URL = live_server.url


@pytest.fixture
def page(page):
    """The page fails its test on any console error or CSP violation: what a visitor's
    browser refuses is a bug even when the test's clicks still work."""
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.set_default_timeout(10_000)
    yield page
    assert not errors, "Erreurs dans la console du navigateur :\n" + "\n".join(errors)


@functools.cache
def axe_source() -> str:
    return AXE_JS.read_text()


def assert_accessible(page, context: str = "") -> None:
    """axe-core at WCAG 2.1 A and AA. Injected with `evaluate` (DevTools protocol), so the
    page's strict Content-Security-Policy stays on while it is checked."""
    page.evaluate(axe_source())
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    violations = [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(
            node["target"][0] if isinstance(node["target"][0], str) else str(node["target"])
            for node in v["nodes"][:5]
        )
        for v in result["violations"]
    ]
    assert not violations, f"Accessibilité {context} {page.url} :\n" + "\n".join(violations)


def assert_fits(page, context: str = "") -> None:
    """No horizontal scroll: the page is no wider than the window (360 px on a phone)."""
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.viewport_size["width"]
    assert width <= viewport, f"{context} {page.url} : {width} px de large pour {viewport} px"


def session_cookie(user, live_server) -> dict:
    """A user's back-office session, for the browser's cookies: no login form on the way (its
    cookies would expire in the frozen clock's past, and the browser lives in today)."""
    client = Client()
    client.force_login(user)
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": live_server.url,
    }


def log_in_to_admin(page, base_url: str, username: str, password: str) -> None:
    """Through the real login form, as the coordinator does every morning."""
    page.goto(base_url + reverse("admin:login"))
    page.get_by_label("Nom d\u2019utilisateur").fill(username)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url(base_url + reverse("admin:index"))


def validate_html(documents: dict[str, str], tmp_path: Path) -> list[str]:
    """Runs the W3C Nu HTML Checker once on every document; returns its errors."""
    paths = {}
    for index, (url, html) in enumerate(documents.items()):
        path = tmp_path / f"page-{index}.html"
        path.write_text(html, encoding="utf-8")
        paths[path.name] = url
    result = subprocess.run(
        [
            "java",
            "-Xss8m",
            "-XX:TieredStopAtLevel=1",  # a short run: the quick compiler halves the time
            "-jar",
            str(VNU_JAR),
            "--format",
            "json",
            "--exit-zero-always",
            *[str(p) for p in tmp_path.glob("page-*.html")],
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or "{}").get("messages", [])
    return [
        # vnu names a file « file:/tmp/… » (one slash): match on the file's name alone.
        f"{paths.get(m.get('url', '').rsplit('/', 1)[-1], m.get('url'))}:{m.get('lastLine')}: "
        f"{m['message']}"
        for m in messages
        if m.get("type") == "error"
    ]
