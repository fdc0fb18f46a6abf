"""One permit import of the bench in a process of its own (internal; see import_bench.py):

    python -m masterplan.permits.import_step procedures 100000

prints the figures as JSON. A fresh process, so that the import's peak memory is its own and
not hidden by memory that earlier work left resident (Python keeps freed memory).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import asdict


def main(argv: Sequence[str]) -> None:
    parser = argparse.ArgumentParser(description="One permit import of the bench (internal).")
    parser.add_argument("kind", choices=("procedures", "xbau"))
    parser.add_argument("rows", type=int)
    args = parser.parse_args(argv)
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masterplan.settings")
    django.setup()
    from masterplan.permits.import_bench import bench_import

    print(json.dumps(asdict(bench_import(args.kind, args.rows))))


if __name__ == "__main__":
    main(sys.argv[1:])
