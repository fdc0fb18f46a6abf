"""The review report attached to a meeting is the report of the report page: with the
indicator charts (it used to say "No indicator of the plan has a target yet." always)."""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

from masterplan.core.models import Masterplan
from masterplan.directory.models import Organization
from masterplan.governance import agenda
from masterplan.governance.models import Meeting
from tests.governance.factories import BodyFactory, MeetingFactory
from tests.indicators.factories import permit_time_indicator

TODAY = date(2026, 1, 15)
NO_TARGET = "No indicator of the plan has a target yet."


@pytest.fixture(autouse=True)
def english() -> Any:
    with translation.override("en"):
        yield


@pytest.fixture
def meeting(plan: Masterplan, own_org: Organization, settings: Any, tmp_path: Path) -> Meeting:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }
    permit_time_indicator(plan, own_org)
    return MeetingFactory(
        body=BodyFactory(masterplan=plan), start=datetime(2026, 1, 20, 9, tzinfo=UTC)
    )


def test_the_attachment_shows_the_indicator_charts(
    meeting: Meeting, coordinator: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    rendered: list[str] = []

    def capture(html: str) -> bytes:
        rendered.append(html)
        return b"%PDF-1.7 captured"

    monkeypatch.setattr(agenda, "html_to_pdf", capture)
    agenda.attach_review_report(actor=coordinator, meeting=meeting, today=TODAY)

    (html,) = rendered
    section = html[html.index('id="report-indicators-heading"') :]
    assert "DU-GEN-DAUER" in section
    assert 'id="review-indicator-' in section  # the SVG chart
    assert NO_TARGET not in html


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (poppler-utils)")
def test_the_attached_pdf_names_the_indicator(meeting: Meeting, coordinator: Any) -> None:
    try:
        document = agenda.attach_review_report(actor=coordinator, meeting=meeting, today=TODAY)
    except OSError:
        pytest.skip("WeasyPrint without Pango")
    with document.file.open("rb") as stored:
        text = subprocess.run(
            ["pdftotext", "-", "-"], input=stored.read(), capture_output=True, check=True
        ).stdout.decode()
    assert "Indicators and their targets" in text
    assert "DU-GEN-DAUER" in text
    assert NO_TARGET not in text
