"""The permit dashboard as a PDF: the same figures and charts as the page, for the day asked;
the public's PDF has no overdue list; a bad day is refused with a message. The procedures are
the five of `world` (conftest.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from masterplan.core.models import Masterplan

pytestmark = pytest.mark.django_db


def test_the_dashboard_pdf_is_a_pdf_of_the_day_asked(
    plan: Masterplan, world: dict[str, Any], client_as: Any, coordinator: Any
) -> None:
    url = reverse("permits:dashboard_pdf", args=[plan.slug])
    response = client_as(coordinator).get(url, {"as_of": "2026-06-30"})
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "20260630" in response["Content-Disposition"]
    assert len(response.content) > 10_000  # figures and charts, not an empty page
    again = client_as(coordinator).get(url, {"as_of": "2026-06-30"})
    assert again.content == response.content  # from the PDF cache


def test_the_page_links_its_pdf_and_a_bad_day_is_refused(
    plan: Masterplan, world: dict[str, Any], client_as: Any
) -> None:
    page = client_as(None).get(reverse("permits:dashboard", args=[plan.slug]))
    assert reverse("permits:dashboard_pdf", args=[plan.slug]) in page.content.decode()
    bad = client_as(None).get(
        reverse("permits:dashboard_pdf", args=[plan.slug]), {"as_of": "30.02.2026"}
    )
    assert bad.status_code == 400


def test_the_print_page_has_the_charts_and_no_overdue_list_for_the_public(
    plan: Masterplan, world: dict[str, Any], rf: Any
) -> None:
    from django.contrib.auth.models import AnonymousUser
    from django.template.loader import render_to_string

    from masterplan.permits.views import dashboard_context

    request = rf.get("/")
    request.user = AnonymousUser()
    context = dashboard_context(request, plan, date(2026, 6, 30), date(2026, 6, 30))
    html = render_to_string("permits/dashboard_print.html", context, request=request)
    assert html.count("<svg") >= 2 and "<table" in html
    assert "UIB-2026" not in html  # single procedures stay with the members
