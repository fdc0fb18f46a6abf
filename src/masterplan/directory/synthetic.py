"""Synthetic directory data for load tests and benchmarks (`masterplan generate`).

A city-scale masterplan has 2,000 organisations and 5,000 people with their affiliations;
scale 100 (a state) holds 200,000 organisations and 500,000 people. The data is invented but
shaped like the real thing: companies of North Rhine-Westphalia with German legal forms and
WZ 2008 sector codes, employees skewed the way the business register is (most firms have
fewer than ten people), people with common German given and family names, and the city, its
departments, the chamber, unions and associations every masterplan has.

Rows are written with `bulk_create` in batches and without the services (no per-row
validation, no audit trail); every row is sample data. The generator machinery and the
masterplans themselves are in core/synthetic.py; `write` below is this app's part.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from masterplan.core.models import Masterplan
from masterplan.core.synthetic import (
    MUNICIPALITIES,
    Municipality,
    Picker,
    SyntheticPlan,
    ascii_slug,
    by_frequency,
    publication,
    register_synthetic,
    timestamps,
    words,
)
from masterplan.directory.models import Affiliation, Organization, OrganizationKind, Person

ORGANIZATIONS_PER_PLAN = 2000
PEOPLE_PER_PLAN = 5000

K = OrganizationKind


# Most common family names in Germany, in order, with some typical of the Rhineland,
# Westphalia and the Ruhr.
FAMILY_NAMES = by_frequency(
    words(
        "Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Schäfer "
        "Koch Bauer Richter Klein Wolf Schröder Neumann Schwarz Schmitz Zimmermann Braun Krüger "
        "Hofmann Hartmann Lange Schmitt Werner Krause Meier Lehmann Schmid Schulze Maier Köhler "
        "Herrmann König Walter Mayer Huber Kaiser Fuchs Peters Lang Scholz Möller Weiß Jung "
        "Hahn Schubert Vogel Friedrich Keller Günther Frank Berger Winkler Roth Beck Lorenz "
        "Baumann Franke Albrecht Schuster Simon Ludwig Böhm Winter Kraus Martin Schumacher "
        "Krämer Vogt Stein Jäger Otto Sommer Groß Seidel Heinrich Brandt Haas Schreiber Graf "
        "Schulte Dietrich Ziegler Kuhn Kühn Pohl Engel Horn Busch Bergmann Thomas Voigt Sauer "
        "Arnold Wolff Pfeiffer Hermanns Janssen Terhorst Wilms Kemper Brinkmann Hülsmann "
        "Kowalski Nowak Yılmaz Kaya Öztürk Demir Şahin Wiesmann Tenbrink Overbeck Küpper "
        "Lohmann Höfer Bongartz"
    )
)
GIVEN_NAMES_FEMALE = by_frequency(
    words(
        "Sabine Petra Andrea Claudia Susanne Nicole Stefanie Julia Katrin Anna Monika Birgit "
        "Sandra Melanie Christina Laura Katharina Sarah Lisa Martina Anja Jennifer Heike "
        "Kerstin Nadine Simone Tanja Ute Karin Lena Marie Sophie Hannah Miriam Vanessa Jessica "
        "Daniela Silke Bettina Elif Ayşe Geraldine Avelina Johanna Franziska Carolin Christiane "
        "Eva"
    )
)
GIVEN_NAMES_MALE = by_frequency(
    words(
        "Thomas Michael Andreas Stefan Peter Frank Markus Christian Klaus Jürgen Martin Uwe "
        "Wolfgang Daniel Matthias Alexander Sebastian Jan Tobias Dirk Sven Jörg Ralf Oliver "
        "Torsten Bernd Holger Florian Lukas Felix Jonas Maximilian Tim Dennis Philipp Marco "
        "Carsten Heinz Hans Rainer Guido Mehmet Murat Benedikt Moritz Niklas David Simon "
        "Johannes"
    )
)
TITLES = Picker((("", 90.0), ("Dr.", 7.0), ("Prof. Dr.", 1.0), ("Dipl.-Ing.", 2.0)))

# Regional words used in company names instead of a family name.
REGIONS = by_frequency(
    words(
        "Rhein-Ruhr Niederrhein Rheinland Westfalen Ruhr Bergisch Sauerland Emscher Lippe Rhein "
        "Wupper Sieg Münsterland Eifel"
    ),
    exponent=0.5,
)
STREETS = by_frequency(
    words(
        "Hauptstraße, Bahnhofstraße, Industriestraße, Gewerbestraße, Schulstraße, "
        "Gartenstraße, Kirchstraße, Hafenstraße, Rheinstraße, Lindenstraße, Friedrichstraße, "
        "Wilhelmstraße, Kaiserstraße, Königstraße, Mühlenweg, Am Hafen, Im Gewerbepark, "
        "Max-Planck-Straße, Carl-Benz-Straße, Robert-Bosch-Straße, Otto-Hahn-Straße, "
        "Siemensstraße, Daimlerstraße, Werkstraße, Hüttenstraße, Zechenstraße, Am Kanal, "
        "Schillerstraße, Goethestraße, Europaallee, Marktplatz, Poststraße, Ringstraße, "
        "Feldstraße, Talstraße, Parkstraße, Dieselstraße, Junkersstraße",
        sep=", ",
    ),
    exponent=0.4,
)


@dataclass(frozen=True)
class Branch:
    """A line of business: the word used in company names and its WZ 2008 class."""

    word: str
    wz: str
    size_bias: float = 1.0  # >1: firms of this branch tend to be larger


BRANCHES: Picker[Branch] = Picker(
    (
        (Branch("Metallbau", "25.11"), 4),
        (Branch("Stahlbau", "25.11", 1.5), 2),
        (Branch("Präzisionsmechanik", "25.62"), 2),
        (Branch("Maschinenbau", "28.99", 2.0), 3),
        (Branch("Fördertechnik", "28.22", 2.0), 1),
        (Branch("Antriebstechnik", "27.11", 2.0), 1),
        (Branch("Kunststofftechnik", "22.29", 1.5), 2),
        (Branch("Spezialchemie", "20.14", 3.0), 1),
        (Branch("Chemie", "20.59", 2.0), 1),
        (Branch("Pharma", "21.20", 3.0), 0.5),
        (Branch("Medizintechnik", "32.50", 1.5), 1),
        (Branch("Fahrzeugteile", "29.32", 2.5), 1),
        (Branch("Stahlhandel", "46.72", 1.5), 1),
        (Branch("Verpackung", "17.21", 1.5), 1),
        (Branch("Druckerei", "18.12"), 1.5),
        (Branch("Feinkost", "10.89"), 1),
        (Branch("Bau", "41.20", 1.5), 4),
        (Branch("Elektrotechnik", "43.21"), 4),
        (Branch("Haustechnik", "43.22"), 4),
        (Branch("Dachdeckerei", "43.91"), 2),
        (Branch("Malerbetrieb", "43.34"), 2),
        (Branch("Autohaus", "45.11"), 2),
        (Branch("Kfz-Service", "45.20"), 2),
        (Branch("Großhandel", "46.90", 1.5), 2),
        (Branch("Spedition", "52.29", 1.5), 3),
        (Branch("Logistik", "52.10", 2.0), 3),
        (Branch("Transporte", "49.41"), 3),
        (Branch("Hafenumschlag", "52.24", 2.0), 1),
        (Branch("Gastronomie", "56.10"), 2),
        (Branch("Software", "62.01"), 4),
        (Branch("IT-Beratung", "62.02"), 3),
        (Branch("Rechenzentrum", "63.11", 1.5), 0.5),
        (Branch("Immobilien", "68.31"), 3),
        (Branch("Grundbesitz", "68.20"), 1),
        (Branch("Steuerberatung", "69.20"), 3),
        (Branch("Rechtsanwälte", "69.10"), 2),
        (Branch("Unternehmensberatung", "70.22"), 3),
        (Branch("Architekten", "71.11"), 2),
        (Branch("Ingenieurbüro", "71.12"), 3),
        (Branch("Werbeagentur", "73.11"), 2),
        (Branch("Personaldienstleistungen", "78.20", 2.0), 1.5),
        (Branch("Gebäudereinigung", "81.21", 2.0), 2),
        (Branch("Energie", "35.11", 3.0), 0.5),
        (Branch("Recycling", "38.32", 1.5), 1),
    )
)
# Branches whose firms are named after their shop and run as registered sole traders.
SHOP_NAMES = {
    "47.73": ("Apotheke", ("Rathaus", "Markt", "Bahnhof", "Löwen", "Adler", "Stern", "Linden")),
    "10.71": ("Bäckerei", ()),
    "55.10": ("Hotel", ()),
}
SHOPS = Picker(
    (
        (Branch("Apotheke", "47.73"), 1.5),
        (Branch("Bäckerei", "10.71"), 2),
        (Branch("Hotel", "55.10"), 1.5),
    )
)
PROFESSIONS = {"69.20", "69.10", "71.11", "71.12"}
LEGAL_FORMS = Picker(
    (
        ("GmbH", 55.0),
        ("GmbH & Co. KG", 14.0),
        ("UG (haftungsbeschränkt)", 5.0),
        ("e. K.", 10.0),
        ("KG", 4.0),
        ("OHG", 3.0),
        ("AG", 2.0),
        ("eG", 0.5),
    )
)
STARTUP_STEMS = words(
    "Green Smart Data Cloud Hydro Circular Quantum Urban Robo Agri Med Fin Volt Carbon Grid "
    "Sense Bau Logi"
)
# Capitalised endings are separate words: "Hydro Labs", but "Hydroflow".
STARTUP_ENDINGS = words("ly io Labs works Hub AI tech flow loop ify Systems Analytics bit mind")
STARTUP_WZ = Picker(
    (("62.01", 5.0), ("72.19", 2.0), ("63.11", 1.0), ("70.22", 1.0), ("26.20", 0.5), ("38.32", 0.5))
)

# Employees by size class as in the business register: micro, small, medium, large.
SIZE_CLASSES = Picker((((1, 9), 80.0), ((10, 49), 15.0), ((50, 249), 4.2), ((250, 12000), 0.8)))

KIND_MIX = Picker(
    (
        (K.COMPANY, 86.0),
        (K.STARTUP, 7.0),
        (K.ASSOCIATION, 3.0),
        (K.INVESTOR, 1.0),
        (K.RESEARCH, 1.0),
        (K.OTHER, 2.0),
    )
)

# Functions as (female form, male form), per kind of organisation.
FUNCTIONS: dict[str, Picker[tuple[str, str]]] = {
    K.CITY: Picker(
        (
            (("Oberbürgermeisterin", "Oberbürgermeister"), 1.0),
            (("Beigeordnete für Wirtschaft", "Beigeordneter für Wirtschaft"), 2.0),
            (("Stadtdirektorin", "Stadtdirektor"), 1.0),
            (("Referentin des Oberbürgermeisters", "Referent des Oberbürgermeisters"), 2.0),
        )
    ),
    K.CITY_DEPARTMENT: Picker(
        (
            (("Amtsleiterin", "Amtsleiter"), 1.0),
            (("Sachgebietsleiterin", "Sachgebietsleiter"), 2.0),
            (("Referentin", "Referent"), 4.0),
            (("Projektleiterin", "Projektleiter"), 2.0),
        )
    ),
    K.CHAMBER: Picker(
        (
            (("Hauptgeschäftsführerin", "Hauptgeschäftsführer"), 1.0),
            (("Präsidentin", "Präsident"), 1.0),
            (("Referentin Standortpolitik", "Referent Standortpolitik"), 3.0),
            (("Leiterin Existenzgründung", "Leiter Existenzgründung"), 2.0),
        )
    ),
    K.ASSOCIATION: Picker(
        (
            (("Vorsitzende", "Vorsitzender"), 1.0),
            (("Geschäftsführerin", "Geschäftsführer"), 1.0),
            (("Vorstandsmitglied", "Vorstandsmitglied"), 2.0),
        )
    ),
    K.COMPANY: Picker(
        (
            (("Geschäftsführerin", "Geschäftsführer"), 8.0),
            (("Inhaberin", "Inhaber"), 3.0),
            (("Prokuristin", "Prokurist"), 3.0),
            (("Leiterin Personal", "Leiter Personal"), 2.0),
            (("Leiterin Nachhaltigkeit", "Leiter Nachhaltigkeit"), 1.0),
            (("Standortleiterin", "Standortleiter"), 1.5),
            (("Leiterin Vertrieb", "Leiter Vertrieb"), 2.0),
            (("Technische Leiterin", "Technischer Leiter"), 1.5),
            (("Energiebeauftragte", "Energiebeauftragter"), 1.0),
            (("Assistenz der Geschäftsführung", "Assistenz der Geschäftsführung"), 1.5),
        )
    ),
    K.STARTUP: Picker(
        (
            (("Gründerin und Geschäftsführerin", "Gründer und Geschäftsführer"), 3.0),
            (("Mitgründerin", "Mitgründer"), 2.0),
            (("CTO", "CTO"), 1.0),
            (("Head of Operations", "Head of Operations"), 1.0),
        )
    ),
    K.INVESTOR: Picker(
        (
            (("Vorstand", "Vorstand"), 1.0),
            (("Investment Managerin", "Investment Manager"), 2.0),
            (("Firmenkundenberaterin", "Firmenkundenberater"), 3.0),
        )
    ),
    K.RESEARCH: Picker(
        (
            (("Institutsleiterin", "Institutsleiter"), 1.0),
            (("Wissenschaftliche Mitarbeiterin", "Wissenschaftlicher Mitarbeiter"), 4.0),
            (("Transferbeauftragte", "Transferbeauftragter"), 1.0),
        )
    ),
    K.UNION: Picker(
        (
            (("Erste Bevollmächtigte", "Erster Bevollmächtigter"), 1.0),
            (("Gewerkschaftssekretärin", "Gewerkschaftssekretär"), 3.0),
        )
    ),
    K.POLITICAL_COMMITTEE: Picker(
        (
            (("Ausschussvorsitzende", "Ausschussvorsitzender"), 1.0),
            (("Ratsmitglied", "Ratsmitglied"), 5.0),
        )
    ),
    K.OTHER: Picker(((("Ansprechpartnerin", "Ansprechpartner"), 1.0),)),
}
RESEARCH_TOPICS = words(
    "Werkstofftechnik Logistik Energiesysteme Wasserstoff Kreislaufwirtschaft "
    "Produktionstechnik Digitalisierung"
)
BOARD_ROLES = Picker((("Mitglied", 6.0), ("Mitglied des Vorstands", 2.0), ("Beirat", 1.0)))


# --- organisations -------------------------------------------------------------------------


@dataclass
class OrganizationRow:
    """One organisation as field values; `parent` is the external id of another row."""

    fields: dict[str, Any]
    parent: str = ""

    @property
    def external_id(self) -> str:
        return str(self.fields["external_id"])


def institution_rows(municipality: Municipality) -> list[tuple[str, str, str]]:
    """(kind, name, WZ) of the institutions every masterplan city has, the city first."""
    city = municipality.name
    return [
        (K.CITY, f"Stadt {city}", "84.11"),
        (K.CITY_DEPARTMENT, "Amt für Wirtschaftsförderung", "84.11"),
        (K.CITY_DEPARTMENT, "Stadtplanungsamt", "84.11"),
        (K.CITY_DEPARTMENT, "Bauaufsichtsamt", "84.11"),
        (K.CITY_DEPARTMENT, "Umweltamt", "84.11"),
        (K.CITY_DEPARTMENT, "Amt für Liegenschaften", "84.11"),
        (K.CITY_DEPARTMENT, "Amt für Statistik und Wahlen", "84.11"),
        (K.POLITICAL_COMMITTEE, "Ausschuss für Wirtschaft und Digitalisierung", "84.11"),
        (K.POLITICAL_COMMITTEE, "Ausschuss für Planung und Stadtentwicklung", "84.11"),
        (K.CHAMBER, f"IHK-Geschäftsstelle {city}", "94.11"),
        (K.CHAMBER, f"Kreishandwerkerschaft {city}", "94.11"),
        (K.ASSOCIATION, f"Unternehmerverband {city} e. V.", "94.11"),
        (K.ASSOCIATION, f"Wirtschaftsjunioren {city} e. V.", "94.11"),
        (K.UNION, f"IG Metall {city}", "94.20"),
        (K.UNION, f"DGB-Stadtverband {city}", "94.20"),
        (K.INVESTOR, f"Sparkasse {city}", "64.19"),
        (K.COMPANY, f"Stadtwerke {city} GmbH", "35.11"),
        (K.COMPANY, f"Wirtschaftsförderung {city} GmbH", "70.22"),
    ]


def employees(rng: random.Random, bias: float = 1.0) -> int:
    """Employees drawn by size class, log-uniform inside the class."""
    low, high = SIZE_CLASSES(rng)
    value = round(low * (high / low) ** rng.random() * bias)
    return max(1, min(value, 60000))


LEGAL_WORDS = {"gmbh", "co", "kg", "ug", "haftungsbeschraenkt", "e", "k", "v", "ag", "eg"}
LEGAL_WORDS |= {"ohg", "partg", "mbb", "mbh", "ggmbh"}
LEGAL_FORM_AT_END = re.compile(
    r"\s+(GmbH & Co\. KG|GmbH|UG \(haftungsbeschränkt\)|e\. K\.|KG|OHG|AG|eG|PartG mbB)$"
)


def short_domain(name: str) -> str:
    """A made-up web domain under the reserved top-level domain .example (RFC 2606)."""
    words = [w for w in ascii_slug(name).split("-") if w not in LEGAL_WORDS][:3]
    return "-".join(words) or "firma"


def company_name(rng: random.Random, branch: Branch, municipality: Municipality) -> str:
    if branch.wz in SHOP_NAMES:
        shop, prefixes = SHOP_NAMES[branch.wz]
        if prefixes:
            return f"{rng.choice(prefixes)}-{shop} e. K."
        if shop == "Hotel":
            family = FAMILY_NAMES(rng)
            return rng.choice((f"Hotel {family}", f"Landhotel {family}", "Hotel Zur Post"))
        return f"{shop} {FAMILY_NAMES(rng)} e. K."
    if branch.wz in PROFESSIONS:
        first, second = FAMILY_NAMES(rng), FAMILY_NAMES(rng)
        return rng.choice(
            (
                f"{first} & {second} {branch.word} PartG mbB",
                f"{first} & Partner {branch.word} PartG mbB",
                f"{first} {branch.word} GmbH",
            )
        )
    form = LEGAL_FORMS(rng)
    pattern = rng.random()
    if pattern < 0.5:
        stem = f"{FAMILY_NAMES(rng)} {branch.word}"
    elif pattern < 0.65:
        stem = f"{FAMILY_NAMES(rng)} & {FAMILY_NAMES(rng)} {branch.word}"
    elif pattern < 0.85:
        stem = f"{REGIONS(rng)} {branch.word}"
    elif pattern < 0.95:
        stem = f"{branch.word} {municipality.name}"
    else:
        letters = "".join(rng.choice("ABDEFGHKLMNPRSTW") for _ in range(3))
        stem = f"{letters} {branch.word}"
    return f"{stem} {form}"


def member_fields(
    rng: random.Random, kind: str, municipality: Municipality
) -> tuple[str, str, int | None]:
    """(name, WZ, employees) of a member organisation of the given kind."""
    city = municipality.name
    if kind == K.COMPANY:
        branch = SHOPS(rng) if rng.random() < 0.06 else BRANCHES(rng)
        return company_name(rng, branch, municipality), branch.wz, employees(rng, branch.size_bias)
    if kind == K.STARTUP:
        ending = rng.choice(STARTUP_ENDINGS)
        stem = rng.choice(STARTUP_STEMS) + (" " if ending[0].isupper() else "") + ending
        form = rng.choice(("GmbH", "GmbH", "UG (haftungsbeschränkt)"))
        return f"{stem} {form}", STARTUP_WZ(rng), rng.randint(1, 35)
    if kind == K.ASSOCIATION:
        branch = BRANCHES(rng)
        quarter = rng.choice(("Mitte", "Nord", "Süd", "Ost", "West"))
        name = rng.choice(
            (
                f"Arbeitgeberverband {branch.word} {REGIONS(rng)} e. V.",
                f"Werbegemeinschaft {city}-{quarter} e. V.",
                f"Initiativkreis {REGIONS(rng)} e. V.",
                f"Verein der Kaufleute {FAMILY_NAMES(rng)}straße e. V.",
                f"Fachverband {branch.word} {REGIONS(rng)} e. V.",
            )
        )
        return name, rng.choice(("94.11", "94.99")), rng.randint(1, 25)
    if kind == K.INVESTOR:
        return rng.choice(
            (
                (f"Volksbank {REGIONS(rng)} eG", "64.19", employees(rng, 3.0)),
                (f"{FAMILY_NAMES(rng)} Beteiligungs GmbH", "64.20", rng.randint(1, 12)),
                (f"{REGIONS(rng)} Venture Capital GmbH", "66.30", rng.randint(2, 30)),
                (f"Business Angels {REGIONS(rng)} e. V.", "94.99", None),
            )
        )
    if kind == K.RESEARCH:
        topic = rng.choice(RESEARCH_TOPICS)
        name = rng.choice(
            (
                f"Institut für {topic} {city} e. V.",
                f"{FAMILY_NAMES(rng)}-Institut für {topic} gGmbH",
                f"Transferzentrum {topic} {REGIONS(rng)}",
            )
        )
        return name, "72.19", employees(rng, 2.0)
    name = rng.choice(
        (
            f"Gründerzentrum {city}",
            f"Stiftung {FAMILY_NAMES(rng)}",
            f"Coworking {REGIONS(rng)}",
            f"Kulturverein {city}-{FAMILY_NAMES(rng)} e. V.",
        )
    )
    return name, "", None


def address(
    rng: random.Random, municipality: Municipality, neighbours: Sequence[Municipality]
) -> dict[str, str]:
    place = municipality if rng.random() < 0.9 or not neighbours else rng.choice(neighbours)
    return {
        "street": f"{STREETS(rng)} {rng.randint(1, 180)}",
        "postcode": place.postcode(rng),
        "city": place.name,
        "ags": place.ags,
    }


def organization_rows(
    rng: random.Random,
    *,
    municipality: Municipality,
    count: int,
    id_prefix: str,
    neighbours: Sequence[Municipality] = (),
    with_institutions: bool = True,
) -> list[OrganizationRow]:
    """`count` organisations of one city: its institutions first, then members."""
    rows: list[OrganizationRow] = []
    large: list[str] = []  # external ids of large firms, the parents of subsidiaries
    city_id = ""
    institutions = institution_rows(municipality) if with_institutions else []
    for number in range(1, count + 1):
        external_id = f"{id_prefix}O{number:06d}"
        parent = ""
        if number <= len(institutions):
            kind, name, wz = institutions[number - 1]
            staff: int | None = None
            fields_address = {
                "city": municipality.name,
                "ags": municipality.ags,
                "postcode": municipality.postcode(rng),
                "street": f"{STREETS(rng)} {rng.randint(1, 60)}",
            }
            if kind == K.CITY:
                city_id = external_id
            elif kind in (K.CITY_DEPARTMENT, K.POLITICAL_COMMITTEE):
                parent = city_id
        else:
            kind = KIND_MIX(rng)
            name, wz, staff = member_fields(rng, kind, municipality)
            fields_address = address(rng, municipality, neighbours)
            if kind == K.COMPANY and staff is not None and staff >= 250:
                large.append(external_id)
            elif kind == K.COMPANY and large and rng.random() < 0.03:
                parent = rng.choice(large)
        created, modified = timestamps(rng)
        legal_name = ""
        if kind == K.COMPANY and rng.random() < 0.25 and LEGAL_FORM_AT_END.search(name):
            # Known by its short name; the register name with the legal form is kept apart.
            legal_name, name = name, LEGAL_FORM_AT_END.sub("", name)
        rows.append(
            OrganizationRow(
                fields={
                    "external_id": external_id,
                    "name": name[:200],
                    "legal_name": legal_name[:250],
                    "kind": str(kind),
                    "sector_wz": wz,
                    "employees": staff,
                    "employees_year": rng.randint(2022, 2025) if staff is not None else None,
                    "website": f"https://www.{short_domain(legal_name or name)}.example",
                    "publication": str(publication(rng)),
                    "created_at": created,
                    "modified_at": modified,
                    **fields_address,
                },
                parent=parent,
            )
        )
    return rows


# --- people --------------------------------------------------------------------------------


@dataclass
class PersonRow:
    """A person as field values and their affiliations as (organisation index, role, start,
    end), the index pointing into the plan's organisation rows."""

    fields: dict[str, Any]
    affiliations: list[tuple[int, str, date | None, date | None]] = field(default_factory=list)


def mailbox(given: str, family: str) -> str:
    return f"{ascii_slug(given)}.{ascii_slug(family)}".replace("-", "")


def person_rows(
    rng: random.Random,
    *,
    organizations: Sequence[OrganizationRow],
    count: int,
    id_prefix: str,
) -> list[PersonRow]:
    """`count` people, most with one affiliation, some with a second one (a board seat or a
    membership in an association or chamber), a few with none. Larger organisations get more
    people: the weight of an organisation grows with the square root of its staff."""
    weights = [
        (index, 2.0 + (row.fields["employees"] or 1) ** 0.5)
        for index, row in enumerate(organizations)
    ]
    employer = Picker(weights)
    networks = [
        index
        for index, row in enumerate(organizations)
        if row.fields["kind"] in (K.ASSOCIATION, K.CHAMBER, K.POLITICAL_COMMITTEE)
    ]
    rows = []
    for number in range(1, count + 1):
        female = rng.random() < 0.42
        given = GIVEN_NAMES_FEMALE(rng) if female else GIVEN_NAMES_MALE(rng)
        family = FAMILY_NAMES(rng)
        created, modified = timestamps(rng)
        affiliations: list[tuple[int, str, date | None, date | None]] = []
        function = ""
        email = ""
        if organizations and rng.random() < 0.93:
            index = employer(rng)
            organization = organizations[index].fields
            forms = FUNCTIONS.get(organization["kind"], FUNCTIONS[K.OTHER])(rng)
            function = forms[0] if female else forms[1]
            start = date(rng.randint(1995, 2025), rng.randint(1, 12), 1)
            end = None
            if rng.random() < 0.04:
                end = min(start + timedelta(days=rng.randint(200, 4000)), date(2025, 12, 31))
            affiliations.append((index, function, start, end))
            domain = organization["website"].removeprefix("https://www.")
            email = f"{mailbox(given, family)}@{domain}"
            if networks and rng.random() < 0.13:
                affiliations.append(
                    (rng.choice(networks), BOARD_ROLES(rng), start + timedelta(days=365), None)
                )
        consent = bool(function) and rng.random() < 0.2
        rows.append(
            PersonRow(
                fields={
                    "external_id": f"{id_prefix}P{number:06d}",
                    "title": TITLES(rng),
                    "given_name": given,
                    "family_name": family,
                    "function": function,
                    "email": email[:254],
                    "consent_to_publish": consent,
                    "consent_given_at": modified if consent else None,
                    "consent_text_version": "2024-01" if consent else "",
                    "publication": str(publication(rng)),
                    "created_at": created,
                    "modified_at": modified,
                },
                affiliations=affiliations,
            )
        )
    return rows


# --- writing -------------------------------------------------------------------------------


def write_directory(
    plan: SyntheticPlan, *, organizations: int, people: int
) -> tuple[list[Organization], list[Person], list[Affiliation]]:
    """Generate and bulk-write one masterplan's organisations, people and affiliations."""
    rng, masterplan, batch_size = plan.rng, plan.masterplan, plan.batch_size
    id_prefix = f"SYN-{plan.spec.number:03d}-"
    municipality = plan.spec.municipality
    neighbours = [m for m in MUNICIPALITIES if m != municipality]
    org_rows = organization_rows(
        rng,
        municipality=municipality,
        count=organizations,
        id_prefix=id_prefix,
        neighbours=neighbours,
    )
    people_rows = person_rows(rng, organizations=org_rows, count=people, id_prefix=id_prefix)
    # Parents first, so that their ids are known when the subsidiaries are written.
    objects = [
        Organization(masterplan=masterplan, is_sample=True, **row.fields) for row in org_rows
    ]
    pk_by_external_id: dict[str, int] = {}
    first = [o for o, r in zip(objects, org_rows, strict=True) if not r.parent]
    Organization.objects.bulk_create(first, batch_size=batch_size)
    pk_by_external_id.update((o.external_id, o.pk) for o in first)
    second = []
    for obj, row in zip(objects, org_rows, strict=True):
        if row.parent:
            obj.parent_id = pk_by_external_id[row.parent]
            second.append(obj)
    Organization.objects.bulk_create(second, batch_size=batch_size)

    persons = [Person(masterplan=masterplan, is_sample=True, **row.fields) for row in people_rows]
    Person.objects.bulk_create(persons, batch_size=batch_size)
    affiliations = [
        Affiliation(
            masterplan=masterplan,
            person_id=person.pk,
            organization_id=objects[index].pk,
            role=role,
            start=start,
            end=end,
            publication=person.publication,
            is_sample=True,
            created_at=person.created_at,
            modified_at=person.modified_at,
        )
        for person, row in zip(persons, people_rows, strict=True)
        for index, role, start, end in row.affiliations
    ]
    Affiliation.objects.bulk_create(affiliations, batch_size=batch_size)
    return objects, persons, affiliations


def write(plan: SyntheticPlan) -> dict[str, int]:
    """The directory of one plan; later writers find the ids in `plan.ids`."""
    organizations, persons, affiliations = write_directory(
        plan,
        organizations=plan.amount("organizations", ORGANIZATIONS_PER_PLAN),
        people=plan.amount("people", PEOPLE_PER_PLAN),
    )
    plan.ids["organizations"] = [o.pk for o in organizations]
    plan.ids["people"] = [p.pk for p in persons]
    return {
        "organisations": len(organizations),
        "people": len(persons),
        "affiliations": len(affiliations),
    }


def delete(masterplan: Masterplan) -> None:
    """Everything `write` wrote; subsidiaries are detached first (their parents protect)."""
    Affiliation.all_objects.filter(masterplan=masterplan).delete()
    Person.all_objects.filter(masterplan=masterplan).delete()
    Organization.all_objects.filter(masterplan=masterplan).update(parent=None)
    Organization.all_objects.filter(masterplan=masterplan).delete()


register_synthetic("directory", write=write, delete=delete)
