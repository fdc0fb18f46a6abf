"""Organisations and people named in the two seeds, in their public roles.

Everything the seeds state is loaded as fact; the member companies and their figures are
invented for realism and carry `is_sample=True`, which the interface shows as "sample data".
"""

from __future__ import annotations

from typing import Any

from masterplan.core.demo import DUESSELDORF, DUISBURG, DemoContext, register_demo
from masterplan.core.models import Masterplan, Publication
from masterplan.directory.models import Organization, OrganizationKind, Person
from masterplan.directory.services import affiliation_create, organization_create, person_create

PUBLISHED = Publication.PUBLISHED
K = OrganizationKind

# (external id, name, kind, extra fields); parents refer to external ids loaded earlier.
ORGANIZATIONS: dict[str, list[tuple[str, str, str, dict[str, Any]]]] = {
    DUESSELDORF: [
        (
            "DUS-STADT",
            "Landeshauptstadt Düsseldorf",
            K.CITY,
            {"city": "Düsseldorf", "ags": "05111000", "website": "https://www.duesseldorf.de"},
        ),
        (
            "DUS-IHK",
            "IHK Düsseldorf",
            K.CHAMBER,
            {
                "legal_name": "Industrie- und Handelskammer zu Düsseldorf",
                "city": "Düsseldorf",
                "website": "https://www.ihk.de/duesseldorf",
            },
        ),
        (
            "DUS-IKD",
            "Industriekreis Düsseldorf",
            K.ASSOCIATION,
            {
                "city": "Düsseldorf",
                "description": "Zusammenschluss Düsseldorfer Industrieunternehmen; Mitgliedsunternehmen haben die CO2-Emissionen gegenüber dem Basisjahr 2016 um 33 % reduziert.",
            },
        ),
        ("DUS-DGB", "Deutscher Gewerkschaftsbund (DGB)", K.UNION, {"city": "Düsseldorf"}),
        (
            "DUS-AWI",
            "Ausschuss für Wirtschaft",
            K.POLITICAL_COMMITTEE,
            {"city": "Düsseldorf", "parent": "DUS-STADT"},
        ),
        (
            "DUS-APS",
            "Ausschuss für Planung und Stadtentwicklung",
            K.POLITICAL_COMMITTEE,
            {"city": "Düsseldorf", "parent": "DUS-STADT"},
        ),
    ],
    DUISBURG: [
        (
            "DU-STADT",
            "Stadt Duisburg",
            K.CITY,
            {"city": "Duisburg", "ags": "05112000", "website": "https://www.duisburg.de"},
        ),
        (
            "DU-IHK",
            "Niederrheinische IHK",
            K.CHAMBER,
            {
                "legal_name": "Niederrheinische Industrie- und Handelskammer Duisburg-Wesel-Kleve zu Duisburg",
                "city": "Duisburg",
            },
        ),
        (
            "DU-UV",
            "Unternehmerverband",
            K.ASSOCIATION,
            {
                "legal_name": "Unternehmerverbandsgruppe",
                "city": "Duisburg",
                "street": "Haus der Unternehmer, Duisburg-Buchholz",
                "employees": 100000,
                "description": "Einer der größten Arbeitgeberverbände in Nordrhein-Westfalen: sieben Einzelverbände mit über 700 Mitgliedsunternehmen und rund 100.000 Beschäftigten.",
            },
        ),
        (
            "DU-WFD",
            "Wirtschaft für Duisburg e. V.",
            K.ASSOCIATION,
            {
                "city": "Duisburg",
                "street": "Haus der Unternehmer, Duisburg-Buchholz",
                "parent": "DU-UV",
                "description": "Bündelt das unternehmerische Engagement in der Stadt; Themen- und Netzwerkplattform im Dialog mit Politik und Verwaltung. Ein Kind des Masterplan-Prozesses.",
            },
        ),
        (
            "DU-DBI",
            "Duisburg Business & Innovation",
            K.CITY_DEPARTMENT,
            {
                "legal_name": "Duisburg Business & Innovation GmbH (DBI)",
                "city": "Duisburg",
                "parent": "DU-STADT",
            },
        ),
        (
            "DU-STARTPORT",
            "startport",
            K.OTHER,
            {
                "city": "Duisburg",
                "description": "Start-up-Spezialist; seit 2022 Mitglied von Wirtschaft für Duisburg, Memorandum of Understanding unterzeichnet.",
            },
        ),
        (
            "DU-WJ",
            "Wirtschaftsjunioren Duisburg",
            K.ASSOCIATION,
            {"city": "Duisburg", "description": "Veranstalter des Ruhrpitch."},
        ),
    ],
}

# Invented member companies (sample data): name, kind, WZ code, employees.
SAMPLE_COMPANIES: dict[str, list[tuple[str, str, str, int]]] = {
    DUESSELDORF: [
        ("Rheinbogen Stahlbau GmbH", K.COMPANY, "25.11", 640),
        ("Hafenmühle Lebensmittelwerke AG", K.COMPANY, "10.61", 410),
        ("Lierenfeld Chemie GmbH", K.COMPANY, "20.14", 1250),
        ("Reisholz Präzisionsteile KG", K.COMPANY, "28.41", 180),
        ("Benrath Life Sciences GmbH", K.COMPANY, "21.20", 320),
        ("Flingern Druck & Medien GmbH", K.COMPANY, "18.12", 95),
        ("Kaiserswerth Robotics", K.STARTUP, "28.99", 24),
        ("Derendorf Elektrotechnik GmbH", K.COMPANY, "27.12", 230),
    ],
    DUISBURG: [
        ("Ruhrort Logistik GmbH", K.COMPANY, "52.24", 520),
        ("Hochfeld Metallveredelung GmbH", K.COMPANY, "25.61", 160),
        ("Walsum Energietechnik AG", K.COMPANY, "35.11", 870),
        ("Homberg Kunststoff GmbH", K.COMPANY, "22.21", 140),
        ("PortData Analytics", K.STARTUP, "62.01", 12),
        ("Rheinhausen Hydrogen Labs", K.STARTUP, "72.19", 9),
        ("Marxloh Handwerk & Bau GmbH", K.COMPANY, "43.22", 65),
        ("Kapital Niederrhein Beteiligungen", K.INVESTOR, "64.30", 14),
    ],
}

# (title, given, family, function, organisation external id, extra)
PEOPLE: dict[str, list[tuple[str, str, str, str, str, dict[str, Any]]]] = {
    DUESSELDORF: [
        ("Dr.", "Stephan", "Keller", "Oberbürgermeister", "DUS-STADT", {}),
        ("", "Andreas", "Schmitz", "Präsident", "DUS-IHK", {}),
        ("Dr.", "Daniel", "Kleine", "Vorstandsvorsitzender", "DUS-IKD", {}),
    ],
    DUISBURG: [
        ("", "Alexander", "Kranki", "Vorstandsvorsitzender", "DU-WFD", {}),
        (
            "",
            "Christian",
            "Kleff",
            "Geschäftsführer „Wirtschaft für Duisburg“ und Geschäftsführer Kommunikation",
            "DU-WFD",
            {
                "phone": "0203 99367-225",
                "email": "kleff@unternehmerverband.org",
                "consent_to_publish": True,
            },
        ),
        (
            "",
            "Jennifer",
            "Middelkamp",
            "Regionalgeschäftsführung Kreise Borken / Kleve und Pressesprecherin",
            "DU-UV",
            {
                "phone": "0203 99367-223",
                "email": "middelkamp@unternehmerverband.org",
                "consent_to_publish": True,
            },
        ),
        (
            "",
            "Geraldine",
            "Klan",
            "Referentin",
            "DU-UV",
            {
                "phone": "0203 99367-224",
                "email": "klan@unternehmerverband.org",
                "consent_to_publish": True,
            },
        ),
        (
            "",
            "Avelina",
            "Desel",
            "Mitarbeiterin Kommunikation und Marketing",
            "DU-UV",
            {
                "phone": "0203 99367-205",
                "email": "desel@unternehmerverband.org",
                "consent_to_publish": True,
            },
        ),
        ("", "Peter", "Trapp", "Geschäftsführer", "DU-STARTPORT", {}),
        ("", "Johannes", "Franke", "", "DU-STARTPORT", {}),
    ],
}

# Published as contact persons in the association's own press release.
CONTACT_CONSENT_SOURCE = "Pressemitteilung WfD 2022"


def organizations_by_external_id(masterplan: Masterplan) -> dict[str, Organization]:
    """The plan's organisations by external id: how the other apps' demos name them."""
    return {o.external_id: o for o in Organization.objects.filter(masterplan=masterplan)}


@register_demo("directory")
def load(context: DemoContext) -> None:
    """The organisations and people of both seed plans, with their affiliations."""
    actor = context.actor
    for slug, masterplan in context.plans.items():
        by_id: dict[str, Organization] = {}
        for external_id, name, kind, extra in ORGANIZATIONS[slug]:
            fields = dict(extra)
            if "parent" in fields:
                fields["parent"] = by_id[fields["parent"]]
            by_id[external_id] = organization_create(
                actor=actor,
                masterplan=masterplan,
                external_id=external_id,
                name=name,
                kind=kind,
                publication=PUBLISHED,
                **fields,
            )
        for number, (name, kind, wz, employees) in enumerate(SAMPLE_COMPANIES[slug], start=1):
            external_id = f"{slug.upper()}-SAMPLE-{number:02d}"
            by_id[external_id] = organization_create(
                actor=actor,
                masterplan=masterplan,
                external_id=external_id,
                name=name,
                kind=kind,
                sector_wz=wz,
                employees=employees,
                employees_year=2024,
                city=masterplan.city,
                is_sample=True,
                publication=PUBLISHED if number % 3 else Publication.DRAFT,
            )
        for title, given, family, function, organization, extra in PEOPLE[slug]:
            fields = dict(extra)
            if fields.get("consent_to_publish"):
                fields["consent_text_version"] = CONTACT_CONSENT_SOURCE
            person: Person = person_create(
                actor=actor,
                masterplan=masterplan,
                title=title,
                given_name=given,
                family_name=family,
                function=function,
                publication=PUBLISHED,
                external_id=f"{slug.upper()}-P-{family.upper()}",
                **fields,
            )
            affiliation_create(
                actor=actor,
                person=person,
                organization=by_id[organization],
                role=function,
                publication=PUBLISHED,
            )
