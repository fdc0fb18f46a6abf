"""Synthetic directory data for load tests and benchmarks (`masterplan generate`).

Scale 1 is a city: one masterplan with 2,000 organisations and 5,000 people with their
affiliations. Scale N is N such masterplans, so scale 100 (a state) holds 200,000 organisations
and 500,000 people. The data is invented but shaped like the real thing: companies of North
Rhine-Westphalia with German legal forms and WZ 2008 sector codes, employees skewed the way
the business register is (most firms have fewer than ten people), people with common German
given and family names, and the city, its departments, the chamber, unions and associations
every masterplan has.

Every row is marked `is_sample=True`. Generation is deterministic: masterplan number i is
drawn from its own random generator seeded with (seed, i), so plan 1 is the same at every scale.
Rows are written with `bulk_create` in batches and without the services: no per-row
validation and no audit trail, which synthetic data does not need and which would make a
state-scale run take hours instead of minutes.
"""

from __future__ import annotations

import argparse
import bisect
import importlib
import importlib.util
import math
import random
import re
import time
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate
from types import ModuleType
from typing import Any, Generic, TypeVar

from django.db import transaction

from masterplan.core.models import Masterplan, Publication
from masterplan.directory.models import Affiliation, Organization, OrganizationKind, Person
from masterplan.plans.synthetic import (
    MEASURES_PER_PLAN,
    delete_plan_content,
    write_plan_content,
)

T = TypeVar("T")

ORGANIZATIONS_PER_PLAN = 2000
PEOPLE_PER_PLAN = 5000
DEFAULT_SEED = 2017  # the year Duisburg's masterplan was signed
DEFAULT_PREFIX = "gen"
BATCH_SIZE = 1000
PUBLISHED_SHARE = 0.95

# Timestamps are drawn from a fixed window so that the output does not depend on today.
PERIOD_START = datetime(2019, 1, 1, tzinfo=UTC)
PERIOD_END = datetime(2025, 12, 31, tzinfo=UTC)
PERIOD_SECONDS = int((PERIOD_END - PERIOD_START).total_seconds())

K = OrganizationKind


# Apps whose `synthetic` module adds content to every generated masterplan: a function
# `write_content(masterplan, *, organization_ids, person_ids, rng, today, batch_size, size)` that
# bulk-writes the rows and returns their counts by name, and `delete_content(masterplan)`.
CONTENT_APPS = ("governance", "indicators", "climate")


def content_modules() -> list[ModuleType]:
    """The synthetic-content modules of CONTENT_APPS, in order (an app may have none)."""
    names = [f"masterplan.{app}.synthetic" for app in CONTENT_APPS]
    return [importlib.import_module(n) for n in names if importlib.util.find_spec(n) is not None]


def content_size(value: str) -> float:
    """The --content-size option: a share of the default amount, above 0 and at most 10."""
    try:
        size = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{value}” is not a number") from None
    if not 0 < size <= 10:
        raise argparse.ArgumentTypeError(f"{value} is outside 0 < size ≤ 10")
    return size


class SyntheticDataExists(Exception):
    """Synthetic masterplans with this prefix are in the database already."""


# --- drawing -------------------------------------------------------------------------------


class Picker(Generic[T]):
    """Draws items with given weights; O(log n) per draw."""

    def __init__(self, weighted: Iterable[tuple[T, float]]) -> None:
        pairs = list(weighted)
        self.items = [item for item, _weight in pairs]
        self.cumulative = list(accumulate(weight for _item, weight in pairs))
        self.total = self.cumulative[-1]

    def __call__(self, rng: random.Random) -> T:
        return self.items[bisect.bisect_right(self.cumulative, rng.random() * self.total)]


def by_frequency(names: Sequence[str], exponent: float = 0.8) -> Picker[str]:
    """Names listed from most to least common, drawn with a Zipf-like frequency."""
    return Picker((name, 1 / (rank + 1) ** exponent) for rank, name in enumerate(names))


def words(text: str, sep: str | None = None) -> list[str]:
    """A list written as one string, to keep long vocabularies compact."""
    return text.split(sep)


def ascii_slug(text: str) -> str:
    """`Mülheim an der Ruhr` → `muelheim-an-der-ruhr` (German transliteration, then ASCII)."""
    text = text.lower()
    for umlaut, replacement in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(umlaut, replacement)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def moment(rng: random.Random) -> datetime:
    return PERIOD_START + timedelta(seconds=rng.randrange(PERIOD_SECONDS))


def timestamps(rng: random.Random) -> tuple[datetime, datetime]:
    """created_at and a modified_at not before it."""
    created = moment(rng)
    remaining = int((PERIOD_END - created).total_seconds())
    return created, created + timedelta(seconds=rng.randrange(max(remaining, 1)))


def publication(rng: random.Random) -> str:
    return Publication.PUBLISHED if rng.random() < PUBLISHED_SHARE else Publication.DRAFT


# --- vocabulary ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Municipality:
    """A municipality of North Rhine-Westphalia with its official key and postcode range."""

    name: str
    ags: str
    postcode_low: int
    postcode_high: int

    @property
    def slug(self) -> str:
        return ascii_slug(self.name)

    def postcode(self, rng: random.Random) -> str:
        # Drawn from the city's range: plausible, though not every number in it is in use.
        return f"{rng.randint(self.postcode_low, self.postcode_high):05d}"


# The 22 county-free cities and Aachen, then towns of the districts of Mettmann, Rhein-Kreis
# Neuss, Rheinisch-Bergischer Kreis, Ennepe-Ruhr-Kreis and Olpe and a few more, with their
# official municipality keys (Amtlicher Gemeindeschlüssel) from the Gemeindeverzeichnis.
MUNICIPALITIES: tuple[Municipality, ...] = (
    Municipality("Düsseldorf", "05111000", 40210, 40629),
    Municipality("Duisburg", "05112000", 47051, 47279),
    Municipality("Essen", "05113000", 45127, 45359),
    Municipality("Köln", "05315000", 50667, 51149),
    Municipality("Dortmund", "05913000", 44135, 44388),
    Municipality("Bochum", "05911000", 44787, 44894),
    Municipality("Wuppertal", "05124000", 42103, 42399),
    Municipality("Bielefeld", "05711000", 33602, 33739),
    Municipality("Bonn", "05314000", 53111, 53229),
    Municipality("Münster", "05515000", 48143, 48167),
    Municipality("Mönchengladbach", "05116000", 41061, 41239),
    Municipality("Gelsenkirchen", "05513000", 45879, 45899),
    Municipality("Aachen", "05334002", 52062, 52080),
    Municipality("Krefeld", "05114000", 47798, 47839),
    Municipality("Oberhausen", "05119000", 46045, 46149),
    Municipality("Hagen", "05914000", 58089, 58135),
    Municipality("Hamm", "05915000", 59063, 59077),
    Municipality("Mülheim an der Ruhr", "05117000", 45468, 45481),
    Municipality("Leverkusen", "05316000", 51371, 51381),
    Municipality("Solingen", "05122000", 42651, 42719),
    Municipality("Herne", "05916000", 44623, 44653),
    Municipality("Remscheid", "05120000", 42853, 42899),
    Municipality("Bottrop", "05512000", 46236, 46244),
    Municipality("Neuss", "05162024", 41460, 41472),
    Municipality("Paderborn", "05774032", 33098, 33106),
    Municipality("Moers", "05170024", 47441, 47447),
    Municipality("Bergisch Gladbach", "05378004", 51427, 51469),
    Municipality("Iserlohn", "05962024", 58636, 58644),
    Municipality("Witten", "05954036", 58452, 58456),
    Municipality("Ratingen", "05158028", 40878, 40885),
    Municipality("Velbert", "05158032", 42549, 42555),
    Municipality("Dormagen", "05162004", 41539, 41542),
    Municipality("Grevenbroich", "05162008", 41515, 41517),
    Municipality("Stolberg (Rhld.)", "05334032", 52222, 52224),
    Municipality("Meerbusch", "05162022", 40667, 40670),
    Municipality("Hilden", "05158016", 40721, 40724),
    Municipality("Langenfeld (Rheinland)", "05158020", 40764, 40764),
    Municipality("Hattingen", "05954016", 45525, 45529),
    Municipality("Kaarst", "05162016", 41564, 41564),
    Municipality("Monheim am Rhein", "05158026", 40789, 40789),
    Municipality("Erkrath", "05158004", 40699, 40699),
    Municipality("Mettmann", "05158024", 40822, 40822),
    Municipality("Borken", "05554012", 46325, 46325),
    Municipality("Lüdinghausen", "05558024", 59348, 59348),
    Municipality("Salzkotten", "05774036", 33154, 33154),
    Municipality("Geilenkirchen", "05370012", 52511, 52511),
    Municipality("Altena", "05962004", 58762, 58762),
    Municipality("Simmerath", "05334028", 52152, 52152),
    Municipality("Haan", "05158008", 42781, 42781),
    Municipality("Heiligenhaus", "05158012", 42579, 42579),
    Municipality("Wülfrath", "05158036", 42489, 42489),
    Municipality("Korschenbroich", "05162020", 41352, 41352),
    Municipality("Jüchen", "05162012", 41363, 41363),
    Municipality("Rommerskirchen", "05162028", 41569, 41569),
    Municipality("Burscheid", "05378008", 51399, 51399),
    Municipality("Kürten", "05378012", 51515, 51515),
    Municipality("Leichlingen (Rheinland)", "05378016", 42799, 42799),
    Municipality("Odenthal", "05378020", 51519, 51519),
    Municipality("Overath", "05378024", 51491, 51491),
    Municipality("Rösrath", "05378028", 51503, 51503),
    Municipality("Wermelskirchen", "05378032", 42929, 42929),
    Municipality("Breckerfeld", "05954004", 58339, 58339),
    Municipality("Ennepetal", "05954008", 58256, 58256),
    Municipality("Gevelsberg", "05954012", 58285, 58285),
    Municipality("Herdecke", "05954020", 58313, 58313),
    Municipality("Schwelm", "05954024", 58332, 58332),
    Municipality("Sprockhövel", "05954028", 45549, 45549),
    Municipality("Wetter (Ruhr)", "05954032", 58300, 58300),
    Municipality("Attendorn", "05966004", 57439, 57439),
    Municipality("Drolshagen", "05966008", 57489, 57489),
    Municipality("Finnentrop", "05966012", 57413, 57413),
    Municipality("Kirchhundem", "05966016", 57399, 57399),
    Municipality("Lennestadt", "05966020", 57368, 57368),
    Municipality("Olpe", "05966024", 57462, 57462),
    Municipality("Wenden", "05966028", 57482, 57482),
)
# When there are more plans than municipalities, the next round uses another plan title.
PLAN_TITLES = ("Wirtschaft", "Industrie", "Innovation", "Handwerk und Mittelstand")

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
    value = round(low * math.pow(high / low, rng.random()) * bias)
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


@dataclass(frozen=True)
class PlanSpec:
    number: int
    municipality: Municipality
    slug: str
    name: str


@dataclass
class GenerationResult:
    masterplans: int = 0
    organizations: int = 0
    people: int = 0
    affiliations: int = 0
    measures: int = 0
    milestones: int = 0
    seconds: float = 0.0
    extra: dict[str, int] = field(default_factory=dict)  # rows of CONTENT_APPS by name

    @property
    def rows(self) -> int:
        return (
            self.masterplans
            + self.organizations
            + self.people
            + self.affiliations
            + self.measures
            + self.milestones
            + sum(self.extra.values())
        )

    def add(self, other: GenerationResult) -> None:
        self.masterplans += other.masterplans
        self.organizations += other.organizations
        self.people += other.people
        self.affiliations += other.affiliations
        self.measures += other.measures
        self.milestones += other.milestones
        for name, count in other.extra.items():
            self.extra[name] = self.extra.get(name, 0) + count


def plan_specs(*, scale: int, prefix: str) -> list[PlanSpec]:
    specs = []
    for number in range(1, scale + 1):
        round_, position = divmod(number - 1, len(MUNICIPALITIES))
        municipality = MUNICIPALITIES[position]
        title = PLAN_TITLES[round_ % len(PLAN_TITLES)]
        specs.append(
            PlanSpec(
                number=number,
                municipality=municipality,
                slug=f"{prefix}-{number:03d}-{municipality.slug}"[:60].rstrip("-"),
                name=f"Masterplan {title} {municipality.name}",
            )
        )
    return specs


def existing_plans(prefix: str) -> list[Masterplan]:
    return list(Masterplan.all_objects.filter(slug__startswith=f"{prefix}-", is_sample=True))


def delete_synthetic(prefix: str) -> int:
    """Remove the synthetic masterplans with this prefix and everything generated in them."""
    plans = existing_plans(prefix)
    for plan in plans:
        with transaction.atomic():
            for module in reversed(content_modules()):
                module.delete_content(plan)
            delete_plan_content(plan)
            Affiliation.all_objects.filter(masterplan=plan).delete()
            Person.all_objects.filter(masterplan=plan).delete()
            Organization.all_objects.filter(masterplan=plan).update(parent=None)
            Organization.all_objects.filter(masterplan=plan).delete()
            plan.delete()
    return len(plans)


def write_plan(
    spec: PlanSpec,
    *,
    organizations: int,
    people: int,
    seed: int,
    measures: int = MEASURES_PER_PLAN,
    content_size: float = 1.0,
    batch_size: int = BATCH_SIZE,
) -> GenerationResult:
    """Generate and store one masterplan with its directory, in one transaction.

    `content_size` scales what the CONTENT_APPS write (1.0: e.g. 1,000 meetings and 100
    indicators per masterplan).
    """
    rng = random.Random(f"{seed}:{spec.number}")
    id_prefix = f"SYN-{spec.number:03d}-"
    neighbours = [m for m in MUNICIPALITIES if m != spec.municipality]
    org_rows = organization_rows(
        rng,
        municipality=spec.municipality,
        count=organizations,
        id_prefix=id_prefix,
        neighbours=neighbours,
    )
    people_rows = person_rows(rng, organizations=org_rows, count=people, id_prefix=id_prefix)
    created, modified = timestamps(rng)
    with transaction.atomic():
        masterplan = Masterplan.objects.create(
            name=spec.name,
            slug=spec.slug,
            city=spec.municipality.name,
            ags=spec.municipality.ags,
            description=(
                "Synthetische Daten für Last- und Leistungstests (masterplan generate, "
                f"Seed {seed}). Alle Namen sind erfunden."
            ),
            publication=Publication.PUBLISHED,
            is_sample=True,
            created_at=created,
            modified_at=modified,
        )
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

        persons = [
            Person(masterplan=masterplan, is_sample=True, **row.fields) for row in people_rows
        ]
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
        content = write_plan_content(
            masterplan,
            organization_ids=[o.pk for o in objects],
            rng=rng,
            today=PERIOD_END.date(),
            measures=measures,
            batch_size=batch_size,
        )
        extra: dict[str, int] = {}
        for module in content_modules():
            counts = module.write_content(
                masterplan,
                organization_ids=[o.pk for o in objects],
                person_ids=[p.pk for p in persons],
                rng=rng,
                today=PERIOD_END.date(),
                batch_size=batch_size,
                size=content_size,
            )
            for name, count in counts.items():
                extra[name] = extra.get(name, 0) + count
    return GenerationResult(
        masterplans=1,
        organizations=len(objects),
        people=len(persons),
        affiliations=len(affiliations),
        measures=content.measures,
        milestones=content.milestones,
        extra=extra,
    )


def generate(
    *,
    scale: int,
    organizations: int = ORGANIZATIONS_PER_PLAN,
    people: int = PEOPLE_PER_PLAN,
    measures: int = MEASURES_PER_PLAN,
    content_size: float = 1.0,
    prefix: str = DEFAULT_PREFIX,
    seed: int = DEFAULT_SEED,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[PlanSpec, GenerationResult], None] | None = None,
) -> GenerationResult:
    """Write `scale` synthetic masterplans. Refuses when plans with the prefix exist."""
    found = existing_plans(prefix)
    if found:
        raise SyntheticDataExists(
            f"{len(found)} synthetic masterplan(s) with the prefix “{prefix}-” exist already "
            f"(e.g. {found[0].slug}). Use another prefix or delete them first."
        )
    started = time.perf_counter()
    total = GenerationResult()
    for spec in plan_specs(scale=scale, prefix=prefix):
        result = write_plan(
            spec,
            organizations=organizations,
            people=people,
            measures=measures,
            content_size=content_size,
            seed=seed,
            batch_size=batch_size,
        )
        total.add(result)
        if progress is not None:
            progress(spec, result)
    total.seconds = time.perf_counter() - started
    return total
