"""The `masterplan` command: Django's management commands plus the project's own.

`masterplan serve`, `demo`, `worker`, `import`, `export`, `generate`, `bench` and
`audit verify` are management commands of the core app; everything else (migrate,
createsuperuser, check, …) is Django's own.
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masterplan.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
