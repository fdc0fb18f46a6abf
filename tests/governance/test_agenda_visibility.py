"""What is hidden hides everything below it, on every channel.

Agenda items are a tree (an item may hang under a sub-item). A non-public or draft item hides
its sub-items at any depth, the decisions taken on any of them and the documents of all of
these; a non-public meeting or a draft body hides all of its agenda. The anonymous visitor
must not see any of it on the meeting, body and decision pages, in the calendar feeds, the
REST API (lists and details), OParl (meetings, agenda items, papers, files) or as a download.

The named cases first (each leaked before the rule followed every ancestor), then a property
test: random trees of agenda items with random public flags and publication, decisions and
documents, checked on every channel against a reference computed here from the tree alone.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from masterplan.core.models import Masterplan, Publication
from masterplan.governance import agenda, services
from masterplan.governance.models import AgendaItem, Decision, Document, Meeting, MeetingState
from tests.clock import on_day
from tests.governance.factories import BodyFactory, MeetingFactory

pytestmark = on_day(date(2026, 3, 2))

PUBLISHED, DRAFT = Publication.PUBLISHED, Publication.DRAFT
PDF = b"%PDF-1.4\n% Kernzone Reisholz\n"
MEETING_START = datetime(2026, 3, 10, 8, 0, tzinfo=UTC)  # a week after the test's day


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


# --- writing a world through the services --------------------------------------------------


def item(
    actor: Any, meeting: Meeting, title: str, parent: AgendaItem | None = None, **fields: Any
) -> AgendaItem:
    fields.setdefault("publication", PUBLISHED)
    return services.agenda_item_create(
        actor=actor, meeting=meeting, parent=parent, title=title, **fields
    )


def decision(
    actor: Any, meeting: Meeting, title: str, on: AgendaItem | None = None, **fields: Any
) -> Decision:
    fields.setdefault("publication", PUBLISHED)
    # Decisions are recorded for held meetings.
    Meeting.objects.filter(pk=meeting.pk).exclude(state=MeetingState.HELD).update(
        state=MeetingState.HELD
    )
    return services.decision_create(
        actor=actor,
        meeting=meeting,
        agenda_item=on,
        title=title,
        **{"decided_on": date(2026, 3, 10), **fields},
    )


def document(actor: Any, name: str, **owner_and_fields: Any) -> Document:
    owner_and_fields.setdefault("publication", PUBLISHED)
    owner_and_fields.setdefault("is_public", True)
    return services.document_upload(
        actor=actor, file_name="anlage.pdf", content=PDF, name=name, **owner_and_fields
    )


# --- reading every channel as an anonymous visitor ------------------------------------------


def unfolded(ics: bytes) -> str:
    """iCalendar text with its folded lines joined (RFC 5545 §3.1)."""
    return ics.decode().replace("\r\n ", "").replace("\r\n\t", "")


@dataclass
class Seen:
    """What one visitor got from every channel: the texts, and the ids the API and the
    downloads let through."""

    texts: dict[str, str] = field(default_factory=dict)
    api_items: set[int] = field(default_factory=set)
    api_decisions: set[int] = field(default_factory=set)
    api_documents: set[int] = field(default_factory=set)
    details: dict[str, int] = field(default_factory=dict)
    downloads: set[int] = field(default_factory=set)

    def leaks(self, marker: str) -> list[str]:
        return [channel for channel, text in self.texts.items() if marker in text]


def read_all(
    client: Client,
    plan: Masterplan,
    meeting: Meeting,
    items: list[AgendaItem],
    decisions: list[Decision],
    documents: list[Document],
) -> Seen:
    page = f"/p/{plan.slug}/governance"
    api = f"/api/plans/{plan.slug}/governance"
    oparl = f"/oparl/v1/body/{plan.slug}"
    seen = Seen()

    def text(channel: str, url: str, ok: tuple[int, ...] = (200, 302, 404)) -> str:
        """The answer's text; a page the visitor may not see (404, or 302 to the login)
        shows nothing."""
        response = client.get(url)
        assert response.status_code in ok, f"{url}: {response.status_code}"
        if response.status_code != 200:
            return ""
        body = response.content
        if url.endswith(".ics"):
            return unfolded(body)
        if url.startswith(("/api/", "/oparl/")):
            # JSON escapes non-ASCII and slashes; compare on the decoded text.
            return json.dumps(json.loads(body), ensure_ascii=False)
        return body.decode()

    seen.texts["meeting page"] = text("meeting", f"{page}/meetings/{meeting.pk}/")
    seen.texts["body page"] = text("body", f"{page}/bodies/{meeting.body_id}/")
    seen.texts["decisions page"] = text("decisions", f"{page}/decisions/", ok=(200,))
    seen.texts["plan feed"] = text("feed", f"/p/{plan.slug}/feeds/meetings.ics", ok=(200,))
    seen.texts["body feed"] = text("feed", f"/p/{plan.slug}/feeds/bodies/{meeting.body_id}.ics")
    for name, ids in (
        ("agenda-items", seen.api_items),
        ("decisions", seen.api_decisions),
        ("documents", seen.api_documents),
    ):
        response = client.get(f"{api}/{name}?limit=1000")
        assert response.status_code == 200
        seen.texts[f"API {name}"] = json.dumps(response.json(), ensure_ascii=False)
        ids.update(row["id"] for row in response.json()["items"])
    for name, rows in (("agenda-items", items), ("decisions", decisions), ("documents", documents)):
        for row in rows:
            url = f"{api}/{name}/{row.pk}"
            seen.details[url] = client.get(url).status_code
            seen.texts[f"API {url}"] = text("api", url)
    for name in ("meetings", "agenda-items", "papers", "files"):
        seen.texts[f"OParl {name}"] = text("oparl", f"{oparl}/{name}/", ok=(200,))
    for doc in documents:
        if client.get(f"{page}/documents/{doc.pk}/").status_code == 200:
            seen.downloads.add(doc.pk)
    return seen


def anonymous_sees(
    plan: Masterplan,
    meeting: Meeting,
    items: list[AgendaItem],
    decisions: list[Decision],
    documents: list[Document],
) -> Seen:
    return read_all(Client(), plan, meeting, items, decisions, documents)


def assert_hidden(seen: Seen, marker: str) -> None:
    assert seen.leaks(marker) == [], f"{marker} reached the public"


# --- the named cases ------------------------------------------------------------------------


@pytest.fixture
def meeting(plan: Masterplan) -> Meeting:
    body = BodyFactory(masterplan=plan, name="Lenkungskreis Masterplan Wirtschaft")
    # Invited: the agenda of a planned meeting is a draft that the public never sees.
    return MeetingFactory(
        body=body,
        title="Sitzung des Lenkungskreises im März",
        start=MEETING_START,
        state=MeetingState.INVITED,
    )


def test_sub_sub_items_of_a_non_public_item_stay_hidden(
    plan: Masterplan, coordinator: Any, meeting: Meeting
) -> None:
    top = item(coordinator, meeting, "Grundstücksverhandlungen Kernzone Reisholz", is_public=False)
    sub = item(coordinator, meeting, "Angebot der Eigentümerin", parent=top, is_public=True)
    deep = item(coordinator, meeting, "Kaufpreisvorstellung [GEHEIM]", parent=sub, is_public=True)
    open_item = item(coordinator, meeting, "Begrüßung und Tagesordnung")

    seen = anonymous_sees(plan, meeting, [top, sub, deep, open_item], [], [])

    assert_hidden(seen, "Kaufpreisvorstellung")
    assert_hidden(seen, "Angebot der Eigentümerin")
    assert seen.api_items == {open_item.pk}
    assert seen.details[f"/api/plans/{plan.slug}/governance/agenda-items/{deep.pk}"] == 404
    assert "Begrüßung und Tagesordnung" in seen.texts["meeting page"]
    assert "Begrüßung und Tagesordnung" in seen.texts["OParl agenda-items"]


def test_decisions_on_a_sub_item_of_a_non_public_item_stay_hidden(
    plan: Masterplan, coordinator: Any, meeting: Meeting
) -> None:
    top = item(coordinator, meeting, "Personalien", is_public=False)
    sub = item(coordinator, meeting, "Geschäftsführung der Standortagentur", parent=top)
    services.agenda_item_update(actor=coordinator, item=sub, version=sub.version, is_public=True)
    taken = decision(coordinator, meeting, "Vertragsverlängerung Geschäftsführung", on=sub)
    public = decision(coordinator, meeting, "Kernzonen-Workshops fortsetzen")

    seen = anonymous_sees(plan, meeting, [top, sub], [taken, public], [])

    assert_hidden(seen, "Vertragsverlängerung Geschäftsführung")
    assert seen.api_decisions == {public.pk}
    assert seen.details[f"/api/plans/{plan.slug}/governance/decisions/{taken.pk}"] == 404
    for page in ("meeting page", "body page", "decisions page"):
        assert "Kernzonen-Workshops fortsetzen" in seen.texts[page]


def test_documents_below_a_non_public_item_cannot_be_downloaded(
    plan: Masterplan, coordinator: Any, meeting: Meeting
) -> None:
    top = item(coordinator, meeting, "Ansiedlungsanfrage", is_public=False)
    sub = item(coordinator, meeting, "Flächenbedarf", parent=top, is_public=True)
    deep = item(coordinator, meeting, "Standortvergleich", parent=sub, is_public=True)
    taken = decision(coordinator, meeting, "Exposé erstellen", on=sub)
    on_sub = document(coordinator, "Flächenexposé Reisholz", agenda_item=sub)
    on_deep = document(coordinator, "Standortvergleich Rheinhausen", agenda_item=deep)
    on_decision = document(coordinator, "Beschlussvorlage Exposé", decision=taken)
    agenda_doc = document(coordinator, "Einladung Lenkungskreis", meeting=meeting)

    seen = anonymous_sees(
        plan, meeting, [top, sub, deep], [taken], [on_sub, on_deep, on_decision, agenda_doc]
    )

    for name in ("Flächenexposé Reisholz", "Standortvergleich Rheinhausen", "Beschlussvorlage"):
        assert_hidden(seen, name)
    assert seen.downloads == {agenda_doc.pk}
    assert seen.api_documents == {agenda_doc.pk}
    assert "Einladung Lenkungskreis" in seen.texts["OParl files"]


def test_a_draft_item_hides_what_hangs_under_it(
    plan: Masterplan, coordinator: Any, meeting: Meeting
) -> None:
    draft = item(coordinator, meeting, "Haushaltsmittel 2027", publication=DRAFT)
    sub = item(coordinator, meeting, "Förderantrag Wasserstoff", parent=draft)
    taken = decision(coordinator, meeting, "Antrag beim Land stellen", on=sub)
    attached = document(coordinator, "Förderskizze Wasserstoff", agenda_item=sub)

    seen = anonymous_sees(plan, meeting, [draft, sub], [taken], [attached])

    for name in ("Förderantrag Wasserstoff", "Antrag beim Land stellen", "Förderskizze"):
        assert_hidden(seen, name)
    assert seen.downloads == set()


def test_decisions_of_a_meeting_of_a_draft_body_stay_hidden(
    plan: Masterplan, coordinator: Any
) -> None:
    body = BodyFactory(masterplan=plan, name="Arbeitskreis Ansiedlung", publication=DRAFT)
    meeting = MeetingFactory(body=body, title="Erste Sitzung", start=MEETING_START)
    taken = decision(coordinator, meeting, "Ansiedlung Batteriewerk begleiten")
    attached = document(coordinator, "Ansiedlungsdossier Batteriewerk", decision=taken)

    seen = anonymous_sees(plan, meeting, [], [taken], [attached])

    assert_hidden(seen, "Batteriewerk")
    assert seen.downloads == set()


def test_members_still_see_the_whole_tree(
    plan: Masterplan, coordinator: Any, viewer: Any, meeting: Meeting
) -> None:
    top = item(coordinator, meeting, "Personalien", is_public=False)
    sub = item(coordinator, meeting, "Nachfolge im Vorsitz", parent=top, is_public=True)
    taken = decision(coordinator, meeting, "Nachfolge vorschlagen", on=sub)
    client = Client()
    client.force_login(viewer)

    seen = read_all(client, plan, meeting, [top, sub], [taken], [])

    assert seen.api_items == {top.pk, sub.pk}
    assert seen.api_decisions == {taken.pk}
    assert "Nachfolge vorschlagen" in seen.texts["meeting page"]


# --- new sub-items follow their parent --------------------------------------------------------


def test_a_new_sub_item_follows_its_parent(coordinator: Any, meeting: Meeting) -> None:
    private = item(coordinator, meeting, "Grundstücksverhandlungen", is_public=False)
    public = item(coordinator, meeting, "Bericht der Geschäftsstelle")

    assert item(coordinator, meeting, "Angebot", parent=private).is_public is False
    assert item(coordinator, meeting, "Zahlen 2025", parent=public).is_public is True
    assert item(coordinator, meeting, "Verschiedenes").is_public is True
    # Said explicitly, the flag is kept (and the parent still hides the item).
    explicit = item(coordinator, meeting, "Presseerklärung", parent=private, is_public=True)
    assert explicit.is_public is True
    assert not AgendaItem.objects.filter(pk=explicit.pk).visible_to(
        AnonymousUser(), meeting.masterplan
    )


def test_the_api_creates_sub_items_that_follow_their_parent(
    plan: Masterplan, coordinator: Any, meeting: Meeting
) -> None:
    private = item(coordinator, meeting, "Grundstücksverhandlungen", is_public=False)
    client = Client()
    client.force_login(coordinator)
    url = f"/api/plans/{plan.slug}/governance/meetings/{meeting.pk}/agenda-items"

    sub = client.post(
        url, {"title": "Angebot", "parent_id": private.pk}, content_type="application/json"
    )
    top = client.post(url, {"title": "Verschiedenes"}, content_type="application/json")

    assert sub.status_code == 201, sub.content
    assert sub.json()["is_public"] is False
    assert top.json()["is_public"] is True


def test_the_form_for_a_sub_item_starts_with_its_parents_flag(
    plan: Masterplan, coordinator: Any, meeting: Meeting
) -> None:
    private = item(coordinator, meeting, "Grundstücksverhandlungen", is_public=False)
    client = Client()
    client.force_login(coordinator)
    url = f"/p/{plan.slug}/governance/meetings/{meeting.pk}/agenda/new/"

    under_private = client.get(f"{url}?parent={private.pk}").content.decode()
    at_top = client.get(url).content.decode()

    checkbox = re.compile(r'<input[^>]*name="is_public"[^>]*>')
    assert "checked" not in checkbox.search(under_private).group(0)  # type: ignore[union-attr]
    assert "checked" in checkbox.search(at_top).group(0)  # type: ignore[union-attr]


def test_moving_and_changing_items_keeps_the_rule(
    plan: Masterplan, coordinator: Any, meeting: Meeting
) -> None:
    top = item(coordinator, meeting, "Personalien")
    other = item(coordinator, meeting, "Bericht der Geschäftsstelle")
    sub = item(coordinator, meeting, "Nachfolge im Vorsitz", parent=top)
    deep = item(coordinator, meeting, "Kandidatenliste", parent=sub)
    visible = lambda: set(  # noqa: E731
        AgendaItem.objects.visible_to(AnonymousUser(), plan).values_list("pk", flat=True)
    )
    assert visible() == {top.pk, other.pk, sub.pk, deep.pk}

    top = services.agenda_item_update(
        actor=coordinator, item=top, version=top.version, is_public=False
    )
    assert visible() == {other.pk}

    sub.refresh_from_db()
    services.agenda_item_update(actor=coordinator, item=sub, version=sub.version, parent=other)
    assert visible() == {other.pk, sub.pk, deep.pk}

    services.agenda_item_delete(actor=coordinator, item=other, version=other.version)
    assert visible() == set()


# --- the property: random trees ---------------------------------------------------------------


@dataclass(frozen=True)
class Node:
    parent: int | None  # index of an earlier node
    is_public: bool
    published: bool


@dataclass(frozen=True)
class Tree:
    meeting_public: bool
    meeting_state: str  # a meeting with decisions is held whatever this says
    body_published: bool
    nodes: tuple[Node, ...]
    decisions: tuple[tuple[int | None, bool], ...]  # (node or the meeting, public)
    documents: tuple[tuple[str, int, bool], ...]  # (owner kind, index, public)


@st.composite
def trees(draw: Any) -> Tree:
    count = draw(st.integers(1, 7))
    nodes = tuple(
        Node(
            parent=draw(st.one_of(st.none(), st.integers(0, i - 1))) if i else None,
            is_public=draw(st.booleans()),
            published=draw(st.sampled_from((True, True, False))),
        )
        for i in range(count)
    )
    decisions = tuple(
        (draw(st.one_of(st.none(), st.integers(0, count - 1))), draw(st.booleans()))
        for _ in range(draw(st.integers(0, 3)))
    )
    owners = ["meeting", "item"] + (["decision"] if decisions else [])
    documents = []
    for _ in range(draw(st.integers(0, 3))):
        kind = draw(st.sampled_from(owners))
        size = {"meeting": 1, "item": count, "decision": len(decisions)}[kind]
        documents.append((kind, draw(st.integers(0, size - 1)), draw(st.booleans())))
    return Tree(
        meeting_public=draw(st.sampled_from((True, True, True, False))),
        meeting_state=draw(
            st.sampled_from((MeetingState.PLANNED, MeetingState.INVITED, MeetingState.HELD))
        ),
        body_published=draw(st.sampled_from((True, True, True, False))),
        nodes=nodes,
        decisions=decisions,
        documents=tuple(documents),
    )


def expected(tree: Tree) -> tuple[set[int], set[int], set[int]]:
    """The reference: which nodes, decisions and documents (by index) the public may see,
    computed from the tree alone."""
    meeting = tree.meeting_public and tree.body_published
    # The agenda of a planned meeting stays internal until the invitation goes out.
    invited = tree.meeting_state != MeetingState.PLANNED or bool(tree.decisions)
    nodes: set[int] = set()
    for index, node in enumerate(tree.nodes):  # parents come before their children
        above = node.parent is None or node.parent in nodes
        if meeting and invited and above and node.is_public and node.published:
            nodes.add(index)
    decisions = {
        index
        for index, (on, public) in enumerate(tree.decisions)
        if meeting and public and (on is None or on in nodes)
    }
    owner_visible = {"meeting": {0} if meeting else set(), "item": nodes, "decision": decisions}
    documents = {
        index
        for index, (kind, owner, public) in enumerate(tree.documents)
        if public and owner in owner_visible[kind]
    }
    return nodes, decisions, documents


@settings(
    max_examples=20,
    deadline=None,
    derandomize=True,  # the same trees on every run and every day
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(tree=trees())
def test_no_channel_shows_what_hangs_under_something_hidden(
    plan: Masterplan, coordinator: Any, tree: Tree
) -> None:
    with transaction.atomic():
        body = BodyFactory(
            masterplan=plan,
            name="Lenkungskreis [B]",
            publication=PUBLISHED if tree.body_published else DRAFT,
        )
        meeting = MeetingFactory(
            body=body,
            title="Sitzung [M]",
            start=MEETING_START,
            is_public=tree.meeting_public,
            state=tree.meeting_state,
        )
        items: list[AgendaItem] = []
        for index, node in enumerate(tree.nodes):
            parent = items[node.parent] if node.parent is not None else None
            items.append(
                item(
                    coordinator,
                    meeting,
                    f"Punkt [A{index:02d}]",
                    parent=parent,
                    is_public=node.is_public,
                    publication=PUBLISHED if node.published else DRAFT,
                )
            )
        decisions = [
            decision(
                coordinator,
                meeting,
                f"Beschluss [D{index:02d}]",
                on=items[on] if on is not None else None,
                is_public=public,
            )
            for index, (on, public) in enumerate(tree.decisions)
        ]
        owners = {"meeting": [meeting], "item": items, "decision": decisions}
        documents = [
            document(
                coordinator,
                f"Anlage [F{index:02d}]",
                is_public=public,
                **{"agenda_item" if kind == "item" else kind: owners[kind][owner]},
            )
            for index, (kind, owner, public) in enumerate(tree.documents)
        ]

        seen = anonymous_sees(plan, meeting, items, decisions, documents)
        nodes, shown_decisions, shown_documents = expected(tree)

        for index in set(range(len(items))) - nodes:
            assert_hidden(seen, f"[A{index:02d}]")
        for index in set(range(len(decisions))) - shown_decisions:
            assert_hidden(seen, f"[D{index:02d}]")
        for index in set(range(len(documents))) - shown_documents:
            assert_hidden(seen, f"[F{index:02d}]")
        # Not too much hidden either: the API and the downloads give exactly the rest.
        assert seen.api_items == {items[i].pk for i in nodes}
        assert seen.api_decisions == {decisions[i].pk for i in shown_decisions}
        assert seen.api_documents == {documents[i].pk for i in shown_documents}
        assert seen.downloads == {documents[i].pk for i in shown_documents}
        for index in nodes:
            assert f"[A{index:02d}]" in seen.texts["OParl agenda-items"]
            assert f"[A{index:02d}]" in seen.texts["meeting page"]
        transaction.set_rollback(True)


def test_the_generated_agenda_does_not_make_a_hidden_decision_public(
    plan: Masterplan, coordinator: Any, meeting: Meeting
) -> None:
    earlier = MeetingFactory(
        body=meeting.body, title="Sitzung im Januar", start=datetime(2026, 1, 20, 8, 0, tzinfo=UTC)
    )
    top = item(coordinator, earlier, "Personalien", is_public=False)
    sub = item(coordinator, earlier, "Geschäftsführung", parent=top, is_public=True)
    decision(coordinator, earlier, "Vertrag verlängern", on=sub, decided_on=date(2026, 1, 20))
    decision(coordinator, earlier, "Workshops fortsetzen", decided_on=date(2026, 1, 20))

    created = agenda.generate_agenda(actor=coordinator, meeting=meeting)

    public = {
        i.title
        for i in AgendaItem.objects.filter(pk__in=[c.pk for c in created]).visible_to(
            AnonymousUser(), plan
        )
    }
    assert any("Workshops fortsetzen" in title for title in public)
    assert not any("Vertrag verlängern" in title for title in public)


def test_members_see_items_hidden_by_a_parent_marked_not_public(
    plan: Masterplan, coordinator: Any, meeting: Meeting
) -> None:
    top = item(coordinator, meeting, "Personalien", is_public=False)
    item(coordinator, meeting, "Nachfolge im Vorsitz", parent=top, is_public=True)
    item(coordinator, meeting, "Begrüßung")
    client = Client()
    client.force_login(coordinator)

    html = client.get(f"/p/{plan.slug}/governance/meetings/{meeting.pk}/").content.decode()

    titles = re.findall(r'<h3 class="agenda-item__title">(.*?)</h3>', html, re.S)
    marked = {
        t.split("</span>", 1)[1].split("<", 1)[0].strip(): "kern-badge--warning" in t
        for t in titles
    }
    assert marked == {"Personalien": True, "Nachfolge im Vorsitz": True, "Begrüßung": False}


def test_the_agenda_of_a_planned_meeting_stays_internal_until_the_invitation(
    plan: Masterplan, coordinator: Any, meeting: Meeting
) -> None:
    """Issue 10, point 4: a (generated) draft agenda reaches no channel while the meeting is
    planned: pages, API, OParl, feeds and downloads; the invitation makes it public."""
    Meeting.objects.filter(pk=meeting.pk).update(state=MeetingState.PLANNED)
    meeting.refresh_from_db()
    draft = item(coordinator, meeting, "Entwurf: Kernzone Reisholz [ENTWURF]")
    attachment = document(coordinator, "Anlage zum Entwurf [ENTWURF]", agenda_item=draft)

    seen = anonymous_sees(plan, meeting, [draft], [], [attachment])

    assert_hidden(seen, "[ENTWURF]")
    assert seen.api_items == set()
    assert seen.downloads == set()
    assert set(seen.details.values()) == {404}

    services.meeting_transition(
        actor=coordinator, meeting=meeting, version=meeting.version, state=MeetingState.INVITED
    )
    seen = anonymous_sees(plan, meeting, [draft], [], [attachment])

    assert seen.api_items == {draft.pk}
    assert seen.downloads == {attachment.pk}
    for channel in ("meeting page", "plan feed", "OParl agenda-items"):
        assert "Entwurf: Kernzone Reisholz" in seen.texts[channel], channel
