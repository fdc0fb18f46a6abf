"""The API against its own OpenAPI document, with schemathesis: whatever a client sends, the
answer is never a server error and always one the document describes (status, content type,
body; a 422 carries the documented `errors`).

Every operation gets generated requests (the coverage phase's edge values, such as numbers
beyond every column's range, and random ones) on the demo data of Duisburg, once with the
token of a coordinator and once anonymously. Writes without credentials must be refused (401).
The examples per operation are few, so that the module stays within a few minutes.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from django.contrib.auth import get_user_model
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.test.utils import override_settings
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig
from schemathesis.generation.case import Case

from masterplan.api import api
from masterplan.core.api import token_issue
from masterplan.core.demo import DUISBURG
from tests.clock import clock_not_before
from tests.plans.test_demo import SEEDS_UP_TO

CONFIG = SchemathesisConfig.from_dict(
    {
        "generation": {"max-examples": 4, "database": "none"},
        # The coverage phase's edge values, without requests in methods the path lacks.
        "phases": {"stateful": {"enabled": False}, "coverage": {"unexpected-methods": []}},
        # Duisburg's demo data: requests reach the operations instead of a 404 for the plan.
        "parameters": {"path.plan": DUISBURG},
    }
)
# Answers as documented, and writes refused without credentials. Not "positive data
# acceptance": an object of the demo may be locked (428, 409), or refuse a valid change.
CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_schema_conformance,
    schemathesis.checks.response_headers_conformance,
]

# The document as the API serves it, at /api/openapi.json (read without a request: the test
# database does not exist yet when the module is collected).
schema = schemathesis.openapi.from_dict(api.get_openapi_schema(), config=CONFIG)
schema.app = WSGIHandler()


@pytest.fixture(scope="module")
def coordinator_token(
    django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The demo, loaded once in a transaction rolled back at the end; a coordinator's token."""
    var_dir: Path = tmp_path_factory.mktemp("var")
    fast_hashing = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The WSGI handler would close the connection, and with it the transaction, per request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        with (
            clock_not_before(SEEDS_UP_TO + timedelta(days=1)),
            django_db_blocker.unblock(),
            override_settings(VAR_DIR=var_dir, PASSWORD_HASHERS=fast_hashing),
            transaction.atomic(),
        ):
            try:
                call_command("demo", stdout=StringIO())
                user = get_user_model().objects.get(username="koordination")
                yield token_issue(user=user, name="Schnittstellentest")[1]
            finally:
                transaction.set_rollback(True)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def token(coordinator_token: str, db: Any) -> str:
    """Each operation's requests in a savepoint of their own (`db`)."""
    return coordinator_token


@schema.parametrize()
# The fixture is the savepoint of all of an operation's requests, one database state.
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None, database=None)
def test_api_answers_as_documented(case: Case, token: str) -> None:
    response = case.call(headers={"Authorization": f"Bearer {token}"})
    case.validate_response(response, checks=CHECKS)
    anonymous = case.call()
    case.validate_response(anonymous, checks=CHECKS)
    method = case.method.upper()
    if method == case.operation.method.upper() and method not in ("GET", "HEAD"):
        assert anonymous.status_code == 401, (method, case.formatted_path)
