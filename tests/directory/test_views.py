from __future__ import annotations

from typing import Any

from django.urls import reverse

from masterplan.core.models import AuditEntry, Masterplan
from masterplan.directory.models import Organization, OrganizationKind
from tests.factories import AffiliationFactory, OrganizationFactory, PersonFactory


def org_url(name: str, org: Organization, action: str = "detail") -> str:
    return reverse(f"directory:organization_{action}", args=[org.masterplan.slug, org.pk])


def test_list_page_shows_filters_and_rows(plan: Masterplan, client_as: Any) -> None:
    OrganizationFactory(masterplan=plan, name="Niederrheinische IHK")
    response = client_as(None).get(reverse("directory:organization_list", args=[plan.slug]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Niederrheinische IHK" in content
    assert 'role="search"' in content


def test_htmx_request_gets_only_the_table(plan: Masterplan, client_as: Any) -> None:
    OrganizationFactory(masterplan=plan, name="startport")
    response = client_as(None).get(
        reverse("directory:organization_list", args=[plan.slug]) + "?q=start",
        headers={"HX-Request": "true"},
    )
    content = response.content.decode()
    assert "startport" in content
    assert "<html" not in content


def test_bad_filter_values_never_fail(plan: Masterplan, client_as: Any) -> None:
    url = reverse("directory:organization_list", args=[plan.slug])
    for query in ("?page=abc", "?per_page=9999", "?kind=<script>", "?sort=;drop", "?page=-1"):
        assert client_as(None).get(url + query).status_code == 200


def test_sample_data_is_marked(plan: Masterplan, client_as: Any) -> None:
    OrganizationFactory(masterplan=plan, name="Rheinbogen Stahlbau GmbH", is_sample=True)
    content = client_as(None).get(reverse("directory:organization_list", args=[plan.slug]))
    assert "sample-badge" in content.content.decode()


def test_detail_lists_the_people(plan: Masterplan, own_org: Organization, client_as: Any) -> None:
    AffiliationFactory(
        person=PersonFactory(masterplan=plan, given_name="Alexander", family_name="Kranki"),
        organization=own_org,
    )
    response = client_as(None).get(org_url("detail", own_org))
    assert "Alexander Kranki" in response.content.decode()


def test_coordinator_creates_an_organisation(
    plan: Masterplan, coordinator: Any, client_as: Any
) -> None:
    response = client_as(coordinator).post(
        reverse("directory:organization_create", args=[plan.slug]),
        {
            "name": "Duisburg Business & Innovation",
            "kind": OrganizationKind.CITY_DEPARTMENT,
            "publication": "published",
            "website": "www.duisburg-business.de",
        },
    )
    org = Organization.objects.get(name="Duisburg Business & Innovation")
    assert response.status_code == 302
    assert response["Location"] == org_url("detail", org)
    assert org.website == "https://www.duisburg-business.de"


def test_invalid_form_shows_errors_and_changes_nothing(
    plan: Masterplan, coordinator: Any, client_as: Any
) -> None:
    response = client_as(coordinator).post(
        reverse("directory:organization_create", args=[plan.slug]),
        {"name": "", "kind": "volcano", "ags": "12"},
    )
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()
    assert not Organization.objects.exists()


def test_stale_edit_is_refused_keeps_input_and_shows_current_values(
    own_org: Organization, coordinator: Any, client_as: Any
) -> None:
    client = client_as(coordinator)
    form = {
        "name": "Wirtschaft für Duisburg e. V.",
        "kind": OrganizationKind.ASSOCIATION,
        "publication": "published",
        "city": "Duisburg-Buchholz",
        "version": 1,
    }
    assert client.post(org_url("edit", own_org, "edit"), form).status_code == 302
    stale = {**form, "city": "Duisburg-Mitte", "employees": "35"}
    response = client.post(org_url("edit", own_org, "edit"), stale)
    content = response.content.decode()
    assert response.status_code == 409
    assert 'value="Duisburg-Mitte"' in content  # the user's input is kept
    assert "Duisburg-Buchholz" in content  # the current value is shown
    assert 'name="version" value="2"' in content  # saving again overwrites deliberately
    own_org.refresh_from_db()
    assert own_org.city == "Duisburg-Buchholz"
    assert client.post(org_url("edit", own_org, "edit"), {**stale, "version": 2}).status_code == 302


def form_data(client: Any, url: str) -> dict[str, str]:
    """The edit form as the browser would submit it unchanged."""
    return form_data_from(client.get(url).content.decode())


def test_conflict_takes_over_fields_only_the_other_person_changed(
    own_org: Organization, coordinator: Any, admin: Any, client_as: Any
) -> None:
    mine, theirs = client_as(coordinator), client_as(admin)
    url = org_url("edit", own_org, "edit")
    my_form = form_data(mine, url)
    their_form = form_data(theirs, url)
    assert theirs.post(url, {**their_form, "employees": "40"}).status_code == 302
    response = mine.post(url, {**my_form, "city": "Duisburg-Buchholz"})
    assert response.status_code == 409
    # Saving the merged form again keeps both changes: nothing is lost.
    merged = form_data_from(response.content.decode())
    assert merged["employees"] == "40"
    assert merged["city"] == "Duisburg-Buchholz"
    assert mine.post(url, merged).status_code == 302
    own_org.refresh_from_db()
    assert (own_org.employees, own_org.city) == (40, "Duisburg-Buchholz")


def form_data_from(page: str) -> dict[str, str]:
    import html
    import re

    data = {
        name: html.unescape(value)
        for name, value in re.findall(r'<input[^>]*name="(\w+)"[^>]*value="([^"]*)"', page)
    }
    for name in re.findall(r'<select[^>]*name="(\w+)"', page):
        selected = re.search(
            rf'<select[^>]*name="{name}".*?<option value="([^"]*)"[^>]*selected', page, re.S
        )
        data[name] = selected.group(1) if selected else ""
    data.pop("csrfmiddlewaretoken", None)
    return data


def test_delete_confirms_then_soft_deletes(
    own_org: Organization, coordinator: Any, client_as: Any
) -> None:
    client = client_as(coordinator)
    url = org_url("delete", own_org, "delete")
    assert "Wirtschaft für Duisburg" in client.get(url).content.decode()
    response = client.post(url, {"version": 1})
    assert response.status_code == 302
    assert not Organization.objects.filter(pk=own_org.pk).exists()
    assert AuditEntry.objects.filter(action="directory.organization.deleted").exists()


def test_person_detail_hides_contact_details_without_consent(
    plan: Masterplan, client_as: Any, viewer: Any
) -> None:
    person = PersonFactory(
        masterplan=plan, email="klan@unternehmerverband.org", phone="0203 99367-224"
    )
    url = reverse("directory:person_detail", args=[plan.slug, person.pk])
    assert "klan@unternehmerverband.org" not in client_as(None).get(url).content.decode()
    assert "klan@unternehmerverband.org" in client_as(viewer).get(url).content.decode()
    person.consent_to_publish = True
    person.save()
    assert "0203 99367-224" in client_as(None).get(url).content.decode()


def test_language_switch_to_english(plan: Masterplan, client_as: Any) -> None:
    client = client_as(None)
    url = reverse("directory:organization_list", args=[plan.slug])
    client.post(reverse("set_language"), {"language": "en", "next": url})
    assert 'lang="en"' in client.get(url).content.decode()


def test_german_is_the_default_language(plan: Masterplan, client_as: Any) -> None:
    response = client_as(None).get(reverse("directory:organization_list", args=[plan.slug]))
    assert '<html lang="de">' in response.content.decode()
