"""German output formats where they differ from Django's: times are read with "Uhr"
("14:00 Uhr"), as German administrations write them. Input formats and the rest come from
Django's German locale."""

TIME_FORMAT = r"H:i \U\h\r"
DATETIME_FORMAT = r"j. F Y, H:i \U\h\r"
SHORT_DATETIME_FORMAT = r"d.m.Y, H:i \U\h\r"
