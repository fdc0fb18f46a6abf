"""Fixtures shared by every test: two tenants and one user per role.

`plan` (Duisburg) and `other_plan` (Düsseldorf); in `plan` the organisation `own_org`
(Wirtschaft für Duisburg) and `other_org` (Niederrheinische IHK). Users: `viewer`,
`contributor` (acts for own_org), `other_contributor` (acts for other_org), `coordinator`,
`other_coordinator` (coordinator of other_plan only) and `admin`.

`--clock-offset-days=N` runs the whole session with the clock moved N days ahead (negative:
back). Time still runs, so timeouts and durations behave; the move applies to every thread of
the process (the live server of the browser tests too) and to every xdist worker, which loads
this file and gets the option. A test that assumes today's date then fails now rather than on
the day it would have broken. A test that needs a date of its own sets it with time-machine's
`time_machine` fixture or marker, which nests inside the session's move.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import Client
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from masterplan.core.models import Masterplan, Role
from masterplan.directory.models import Organization, OrganizationKind
from tests.factories import MasterplanFactory, OrganizationFactory, UserFactory, grant

# Property tests must not fail because the machine is busy (CI shares two cores with the
# PostgreSQL server and the browser): no deadline per example, no "too slow" health check.
hypothesis_settings.register_profile(
    "masterplan", deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None
)
hypothesis_settings.load_profile("masterplan")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--clock-offset-days",
        type=float,
        default=0,
        metavar="N",
        help="run with the clock moved N days ahead (negative: back, 0.25: six hours); "
        "time still runs",
    )


def pytest_configure(config: pytest.Config) -> None:
    # At configure time, before collection and the test databases: module-level dates and
    # everything the session creates already see the moved clock.
    days: float = config.getoption("clock_offset_days")
    if days:
        ahead = dt.datetime.now(tz=dt.UTC) + dt.timedelta(days=days)
        moved = time_machine.travel(ahead, tick=True)
        moved.start()
        config.add_cleanup(moved.stop)


def pytest_report_header(config: pytest.Config) -> str:
    days: float = config.getoption("clock_offset_days")
    now = dt.datetime.now(tz=dt.UTC).isoformat(sep=" ", timespec="minutes")
    return f"clock: {days:+g} days, now {now}"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def pdf_cache_of_this_test(settings: Any, tmp_path: Any) -> None:
    """Each test its own PDF cache (ids and audit hashes repeat between tests), and PDFs
    rendered while the request waits, however slow the machine."""
    settings.PDF_CACHE_DIR = tmp_path / "pdf-cache"
    settings.PDF_WAIT_SECONDS = 300


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    """Each test starts with an empty Django cache (built review report pages): ids and audit
    hashes repeat between tests, and tests write rows without audit entries."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def plan(db: Any) -> Masterplan:
    return MasterplanFactory(name="Masterplan Wirtschaft für Duisburg", slug="duisburg")


@pytest.fixture
def other_plan(db: Any) -> Masterplan:
    return MasterplanFactory(
        name="Masterplan Industrie Düsseldorf",
        slug="duesseldorf",
        city="Düsseldorf",
        ags="05111000",
    )


@pytest.fixture
def own_org(plan: Masterplan) -> Organization:
    return OrganizationFactory(
        masterplan=plan,
        name="Wirtschaft für Duisburg e. V.",
        kind=OrganizationKind.ASSOCIATION,
        external_id="DU-WFD",
    )


@pytest.fixture
def other_org(plan: Masterplan) -> Organization:
    return OrganizationFactory(
        masterplan=plan,
        name="Niederrheinische IHK",
        kind=OrganizationKind.CHAMBER,
        external_id="DU-IHK",
    )


@pytest.fixture
def viewer(plan: Masterplan) -> Any:
    user = UserFactory(username="lesen")
    grant(user, plan, Role.VIEWER)
    return user


@pytest.fixture
def contributor(plan: Masterplan, own_org: Organization) -> Any:
    user = UserFactory(username="beitrag")
    grant(user, plan, Role.CONTRIBUTOR, own_org)
    return user


@pytest.fixture
def other_contributor(plan: Masterplan, other_org: Organization) -> Any:
    user = UserFactory(username="beitrag-ihk")
    grant(user, plan, Role.CONTRIBUTOR, other_org)
    return user


@pytest.fixture
def coordinator(plan: Masterplan) -> Any:
    user = UserFactory(username="koordination")
    grant(user, plan, Role.COORDINATOR)
    return user


@pytest.fixture
def other_coordinator(other_plan: Masterplan) -> Any:
    user = UserFactory(username="koordination-dus")
    grant(user, other_plan, Role.COORDINATOR)
    return user


@pytest.fixture
def admin(db: Any) -> Any:
    return get_user_model().objects.create_superuser("admin", "admin@example.org", "x" * 16)


def client_for(user: Any | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def client_as() -> Any:
    """client_as(user) → a test client logged in as that user (None: anonymous)."""
    return client_for
