"""The `masterplan` command: Django's management commands plus the project's own.

`masterplan serve`, `import`, `export`, `token` and `audit verify` are management commands of
the core app; `demo`, `generate`, `bench`, `setup` and `worker`, which combine every module,
belong to the site app; everything else (migrate, createsuperuser, check, …) is Django's own.
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masterplan.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
