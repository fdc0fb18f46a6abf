"""Production settings pass Django's deployment checks; security headers are sent."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from django.test import Client


def test_check_deploy_is_clean_with_production_settings(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "MASTERPLAN_PRODUCTION": "1",
        "SECRET_KEY": "a-test-only-key-" + "x9Qz" * 16,
        "ALLOWED_HOSTS": "masterplan.duisburg.de",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "MASTERPLAN_VAR": str(tmp_path),
    }
    # The browser tests allow Django's ORM inside Playwright's event loop; never in production.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [sys.executable, "-m", "masterplan.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    env = {**os.environ, "MASTERPLAN_PRODUCTION": "1", "MASTERPLAN_VAR": str(tmp_path)}
    env.pop("SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "-m", "masterplan.cli", "check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_pages_send_csp_and_frame_headers(db: Any) -> None:
    response = Client().get("/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
