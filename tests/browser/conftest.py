"""Browser tests: Playwright (sync API) drives Debian's Chromium against the live server.

The whole directory is skipped when Chromium is missing, except in CI (CI=true), where a
missing browser is a failure. Screenshots go to tests/screenshots/ (not committed).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client

from masterplan.core.models import Masterplan
from masterplan.directory.models import Organization, OrganizationKind
from tests.factories import AffiliationFactory, OrganizationFactory, PersonFactory

# Playwright's sync API keeps an asyncio event loop running in the test thread; without this
# Django refuses the ORM calls that the tests make next to it (SynchronousOnlyOperation).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SCREENSHOTS = Path(__file__).resolve().parents[1] / "screenshots"
PASSWORD = "correct horse battery staple"  # set by tests.factories.UserFactory
# Generous, because the suite also runs on busy two-core machines; passing steps do not wait.
TIMEOUT_MS = 10_000

# Companies of the Duisburg network; with the city and the two fixture organisations (own_org,
# other_org) the list has 31 entries, more than one page of 25.
COMPANIES = [
    ("Hafen Duisburg Logistik AG", 1520),
    ("Rheinhausen Logistik GmbH", 85),
    ("Hochfeld Metallveredelung GmbH", 160),
    ("Homberg Kunststoff GmbH", 140),
    ("Marxloh Handwerk & Bau GmbH", 65),
    ("Walsum Energietechnik AG", 870),
    ("Meiderich Stahlbau GmbH", 310),
    ("Hamborn Feinguss GmbH", 220),
    ("Ruhrort Schiffstechnik GmbH", 95),
    ("Baerl Agrarservice GmbH", 12),
    ("Beeck Brauerei Service GmbH", 48),
    ("Buchholz Elektrotechnik GmbH", 33),
    ("Duissern Druck & Medien GmbH", 27),
    ("Friemersheim Kabelwerk GmbH", 410),
    ("Hüttenheim Anlagenbau GmbH", 760),
    ("Huckingen Werkstoffprüfung GmbH", 54),
    ("Laar Containerdienst GmbH", 71),
    ("Mündelheim Gartenbau GmbH", 19),
    ("Neudorf Softwarehaus GmbH", 42),
    ("Obermeiderich Recycling GmbH", 130),
    ("Rumeln Präzisionsteile GmbH", 88),
    ("Serm Holzbau GmbH", 16),
    ("Untermeiderich Chemie GmbH", 540),
    ("Wanheim Gießerei GmbH", 290),
    ("Wedau Sportstättenbau GmbH", 24),
    ("Bissingheim Bahntechnik GmbH", 205),
    ("Ungelsheim Sanitärtechnik GmbH", 11),
    ("Rahm Solartechnik GmbH", 37),
]


def chromium_or_skip() -> None:
    if CHROMIUM.exists():
        return
    reason = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; the browser tests must run in CI.", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    chromium_or_skip()
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session", autouse=True)
def static_root() -> None:
    """WhiteNoise warns (an error here) when STATIC_ROOT is missing; files come from finders."""
    Path(django_settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


@pytest.fixture(autouse=True)
def fast_passwords(settings: Any) -> None:
    """Every test creates users; the default hasher would spend most of the suite's time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def open_context(browser: Any, base_url: str, locale: str) -> Any:
    context = browser.new_context(
        base_url=base_url, locale=locale, viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(TIMEOUT_MS)
    return context


def log_in(context: Any, base_url: str, user: Any | None) -> None:
    """Give the context the session cookie of a user logged in on the server (None: none)."""
    if user is None:
        return
    client = Client()
    client.force_login(user)
    cookie_name = django_settings.SESSION_COOKIE_NAME
    session = client.cookies[cookie_name].value
    context.add_cookies([{"name": cookie_name, "value": session, "url": base_url}])


@pytest.fixture
def new_context(browser: Any, live_server: Any) -> Iterator[Any]:
    """new_context(user=None, locale="de-DE") → a fresh browser context on the live server."""
    contexts: list[Any] = []

    def make(user: Any | None = None, locale: str = "de-DE") -> Any:
        context = open_context(browser, live_server.url, locale)
        log_in(context, live_server.url, user)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page_as(new_context: Any) -> Any:
    """page_as(user, locale="de-DE") → a page on which the user is logged in (None: anonymous)."""

    def make(user: Any | None, locale: str = "de-DE") -> Any:
        return new_context(user, locale).new_page()

    return make


@pytest.fixture
def directory(plan: Masterplan, own_org: Organization, other_org: Organization) -> Masterplan:
    """31 organisations in `plan` (two pages of 25), one with a person, for lists and details."""
    for name, employees in COMPANIES:
        OrganizationFactory(masterplan=plan, name=name, employees=employees)
    OrganizationFactory(
        masterplan=plan, name="Stadt Duisburg", kind=OrganizationKind.CITY, employees=None
    )
    AffiliationFactory(
        person=PersonFactory(
            masterplan=plan,
            given_name="Jennifer",
            family_name="Kleff",
            function="Geschäftsführerin",
            email="kleff@example.org",
        ),
        organization=own_org,
        role="Geschäftsführerin",
    )
    return plan


def screenshot(page: Any, name: str) -> Path:
    """A full-page screenshot in tests/screenshots/, for looking at the pages by eye."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
