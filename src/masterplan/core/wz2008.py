"""The divisions (two-digit codes) of the German classification of economic activities,
WZ 2008 (Destatis), which follows NACE Rev. 2: code, section, German title, English title of
the NACE division. Used to name an organisation's sector: `sector_label("20.30")` reads
"20.30 – Herstellung von chemischen Erzeugnissen" in German."""

from __future__ import annotations

from django.utils.translation import get_language

# Official titles, kept whole on one line each.
# ruff: noqa: E501
DIVISIONS: tuple[tuple[str, str, str, str], ...] = (
    (
        "01",
        "A",
        "Landwirtschaft, Jagd und damit verbundene Tätigkeiten",
        "Crop and animal production, hunting and related service activities",
    ),
    ("02", "A", "Forstwirtschaft und Holzeinschlag", "Forestry and logging"),
    ("03", "A", "Fischerei und Aquakultur", "Fishing and aquaculture"),
    ("05", "B", "Kohlenbergbau", "Mining of coal and lignite"),
    ("06", "B", "Gewinnung von Erdöl und Erdgas", "Extraction of crude petroleum and natural gas"),
    ("07", "B", "Erzbergbau", "Mining of metal ores"),
    ("08", "B", "Gewinnung von Steinen und Erden, sonstiger Bergbau", "Other mining and quarrying"),
    (
        "09",
        "B",
        "Erbringung von Dienstleistungen für den Bergbau und für die Gewinnung von Steinen und Erden",
        "Mining support service activities",
    ),
    ("10", "C", "Herstellung von Nahrungs- und Futtermitteln", "Manufacture of food products"),
    ("11", "C", "Getränkeherstellung", "Manufacture of beverages"),
    ("12", "C", "Tabakverarbeitung", "Manufacture of tobacco products"),
    ("13", "C", "Herstellung von Textilien", "Manufacture of textiles"),
    ("14", "C", "Herstellung von Bekleidung", "Manufacture of wearing apparel"),
    (
        "15",
        "C",
        "Herstellung von Leder, Lederwaren und Schuhen",
        "Manufacture of leather and related products",
    ),
    (
        "16",
        "C",
        "Herstellung von Holz-, Flecht-, Korb- und Korkwaren (ohne Möbel)",
        "Manufacture of wood and of products of wood and cork, except furniture",
    ),
    (
        "17",
        "C",
        "Herstellung von Papier, Pappe und Waren daraus",
        "Manufacture of paper and paper products",
    ),
    (
        "18",
        "C",
        "Herstellung von Druckerzeugnissen; Vervielfältigung von bespielten Ton-, Bild- und Datenträgern",
        "Printing and reproduction of recorded media",
    ),
    (
        "19",
        "C",
        "Kokerei und Mineralölverarbeitung",
        "Manufacture of coke and refined petroleum products",
    ),
    (
        "20",
        "C",
        "Herstellung von chemischen Erzeugnissen",
        "Manufacture of chemicals and chemical products",
    ),
    (
        "21",
        "C",
        "Herstellung von pharmazeutischen Erzeugnissen",
        "Manufacture of basic pharmaceutical products and pharmaceutical preparations",
    ),
    (
        "22",
        "C",
        "Herstellung von Gummi- und Kunststoffwaren",
        "Manufacture of rubber and plastic products",
    ),
    (
        "23",
        "C",
        "Herstellung von Glas und Glaswaren, Keramik, Verarbeitung von Steinen und Erden",
        "Manufacture of other non-metallic mineral products",
    ),
    ("24", "C", "Metallerzeugung und -bearbeitung", "Manufacture of basic metals"),
    (
        "25",
        "C",
        "Herstellung von Metallerzeugnissen",
        "Manufacture of fabricated metal products, except machinery and equipment",
    ),
    (
        "26",
        "C",
        "Herstellung von Datenverarbeitungsgeräten, elektronischen und optischen Erzeugnissen",
        "Manufacture of computer, electronic and optical products",
    ),
    ("27", "C", "Herstellung von elektrischen Ausrüstungen", "Manufacture of electrical equipment"),
    ("28", "C", "Maschinenbau", "Manufacture of machinery and equipment n.e.c."),
    (
        "29",
        "C",
        "Herstellung von Kraftwagen und Kraftwagenteilen",
        "Manufacture of motor vehicles, trailers and semi-trailers",
    ),
    ("30", "C", "Sonstiger Fahrzeugbau", "Manufacture of other transport equipment"),
    ("31", "C", "Herstellung von Möbeln", "Manufacture of furniture"),
    ("32", "C", "Herstellung von sonstigen Waren", "Other manufacturing"),
    (
        "33",
        "C",
        "Reparatur und Installation von Maschinen und Ausrüstungen",
        "Repair and installation of machinery and equipment",
    ),
    ("35", "D", "Energieversorgung", "Electricity, gas, steam and air conditioning supply"),
    ("36", "E", "Wasserversorgung", "Water collection, treatment and supply"),
    ("37", "E", "Abwasserentsorgung", "Sewerage"),
    (
        "38",
        "E",
        "Sammlung, Behandlung und Beseitigung von Abfällen; Rückgewinnung",
        "Waste collection, treatment and disposal activities; materials recovery",
    ),
    (
        "39",
        "E",
        "Beseitigung von Umweltverschmutzungen und sonstige Entsorgung",
        "Remediation activities and other waste management services",
    ),
    ("41", "F", "Hochbau", "Construction of buildings"),
    ("42", "F", "Tiefbau", "Civil engineering"),
    (
        "43",
        "F",
        "Vorbereitende Baustellenarbeiten, Bauinstallation und sonstiges Ausbaugewerbe",
        "Specialised construction activities",
    ),
    (
        "45",
        "G",
        "Handel mit Kraftfahrzeugen; Instandhaltung und Reparatur von Kraftfahrzeugen",
        "Wholesale and retail trade and repair of motor vehicles and motorcycles",
    ),
    (
        "46",
        "G",
        "Großhandel (ohne Handel mit Kraftfahrzeugen)",
        "Wholesale trade, except of motor vehicles and motorcycles",
    ),
    (
        "47",
        "G",
        "Einzelhandel (ohne Handel mit Kraftfahrzeugen)",
        "Retail trade, except of motor vehicles and motorcycles",
    ),
    (
        "49",
        "H",
        "Landverkehr und Transport in Rohrfernleitungen",
        "Land transport and transport via pipelines",
    ),
    ("50", "H", "Schifffahrt", "Water transport"),
    ("51", "H", "Luftfahrt", "Air transport"),
    (
        "52",
        "H",
        "Lagerei sowie Erbringung von sonstigen Dienstleistungen für den Verkehr",
        "Warehousing and support activities for transportation",
    ),
    ("53", "H", "Post-, Kurier- und Expressdienste", "Postal and courier activities"),
    ("55", "I", "Beherbergung", "Accommodation"),
    ("56", "I", "Gastronomie", "Food and beverage service activities"),
    ("58", "J", "Verlagswesen", "Publishing activities"),
    (
        "59",
        "J",
        "Herstellung, Verleih und Vertrieb von Filmen und Fernsehprogrammen; Kinos; Tonstudios und Verlegen von Musik",
        "Motion picture, video and television programme production, sound recording and music publishing activities",
    ),
    ("60", "J", "Rundfunkveranstalter", "Programming and broadcasting activities"),
    ("61", "J", "Telekommunikation", "Telecommunications"),
    (
        "62",
        "J",
        "Erbringung von Dienstleistungen der Informationstechnologie",
        "Computer programming, consultancy and related activities",
    ),
    ("63", "J", "Informationsdienstleistungen", "Information service activities"),
    (
        "64",
        "K",
        "Erbringung von Finanzdienstleistungen",
        "Financial service activities, except insurance and pension funding",
    ),
    (
        "65",
        "K",
        "Versicherungen, Rückversicherungen und Pensionskassen (ohne Sozialversicherung)",
        "Insurance, reinsurance and pension funding, except compulsory social security",
    ),
    (
        "66",
        "K",
        "Mit Finanz- und Versicherungsdienstleistungen verbundene Tätigkeiten",
        "Activities auxiliary to financial services and insurance activities",
    ),
    ("68", "L", "Grundstücks- und Wohnungswesen", "Real estate activities"),
    (
        "69",
        "M",
        "Rechts- und Steuerberatung, Wirtschaftsprüfung",
        "Legal and accounting activities",
    ),
    (
        "70",
        "M",
        "Verwaltung und Führung von Unternehmen und Betrieben; Unternehmensberatung",
        "Activities of head offices; management consultancy activities",
    ),
    (
        "71",
        "M",
        "Architektur- und Ingenieurbüros; technische, physikalische und chemische Untersuchung",
        "Architectural and engineering activities; technical testing and analysis",
    ),
    ("72", "M", "Forschung und Entwicklung", "Scientific research and development"),
    ("73", "M", "Werbung und Marktforschung", "Advertising and market research"),
    (
        "74",
        "M",
        "Sonstige freiberufliche, wissenschaftliche und technische Tätigkeiten",
        "Other professional, scientific and technical activities",
    ),
    ("75", "M", "Veterinärwesen", "Veterinary activities"),
    ("77", "N", "Vermietung von beweglichen Sachen", "Rental and leasing activities"),
    ("78", "N", "Vermittlung und Überlassung von Arbeitskräften", "Employment activities"),
    (
        "79",
        "N",
        "Reisebüros, Reiseveranstalter und Erbringung sonstiger Reservierungsdienstleistungen",
        "Travel agency, tour operator reservation service and related activities",
    ),
    (
        "80",
        "N",
        "Wach- und Sicherheitsdienste sowie Detekteien",
        "Security and investigation activities",
    ),
    (
        "81",
        "N",
        "Gebäudebetreuung; Garten- und Landschaftsbau",
        "Services to buildings and landscape activities",
    ),
    (
        "82",
        "N",
        "Erbringung von wirtschaftlichen Dienstleistungen für Unternehmen und Privatpersonen a. n. g.",
        "Office administrative, office support and other business support activities",
    ),
    (
        "84",
        "O",
        "Öffentliche Verwaltung, Verteidigung; Sozialversicherung",
        "Public administration and defence; compulsory social security",
    ),
    ("85", "P", "Erziehung und Unterricht", "Education"),
    ("86", "Q", "Gesundheitswesen", "Human health activities"),
    ("87", "Q", "Heime (ohne Erholungs- und Ferienheime)", "Residential care activities"),
    ("88", "Q", "Sozialwesen (ohne Heime)", "Social work activities without accommodation"),
    (
        "90",
        "R",
        "Kreative, künstlerische und unterhaltende Tätigkeiten",
        "Creative, arts and entertainment activities",
    ),
    (
        "91",
        "R",
        "Bibliotheken, Archive, Museen, botanische und zoologische Gärten",
        "Libraries, archives, museums and other cultural activities",
    ),
    ("92", "R", "Spiel-, Wett- und Lotteriewesen", "Gambling and betting activities"),
    (
        "93",
        "R",
        "Erbringung von Dienstleistungen des Sports, der Unterhaltung und der Erholung",
        "Sports activities and amusement and recreation activities",
    ),
    (
        "94",
        "S",
        "Interessenvertretungen sowie kirchliche und sonstige religiöse Vereinigungen (ohne Sozialwesen und Sport)",
        "Activities of membership organisations",
    ),
    (
        "95",
        "S",
        "Reparatur von Datenverarbeitungsgeräten und Gebrauchsgütern",
        "Repair of computers and personal and household goods",
    ),
    (
        "96",
        "S",
        "Erbringung von sonstigen überwiegend persönlichen Dienstleistungen",
        "Other personal service activities",
    ),
    (
        "97",
        "T",
        "Private Haushalte mit Hauspersonal",
        "Activities of households as employers of domestic personnel",
    ),
    (
        "98",
        "T",
        "Herstellung von Waren und Erbringung von Dienstleistungen durch private Haushalte für den Eigenbedarf ohne ausgeprägten Schwerpunkt",
        "Undifferentiated goods- and services-producing activities of private households for own use",
    ),
    (
        "99",
        "U",
        "Exterritoriale Organisationen und Körperschaften",
        "Activities of extraterritorial organisations and bodies",
    ),
)

BY_DIVISION = {row[0]: row for row in DIVISIONS}


def division_title(code: str, language: str | None = None) -> str | None:
    """The title of the division that a WZ code ("20.30", "2030", "20.3", "20") belongs to, in
    German or (any other language) English; None for a code that names no division."""
    digits = code.replace(".", "").strip()
    row = BY_DIVISION.get(digits[:2]) if digits[:2].isdigit() else None
    if row is None:
        return None
    language = language or get_language() or "de"
    return row[2] if language.startswith("de") else row[3]


def sector_label(code: str, language: str | None = None) -> str:
    """The code with its division's title, or the code alone if it names no division."""
    title = division_title(code, language)
    return f"{code} – {title}" if title else code
