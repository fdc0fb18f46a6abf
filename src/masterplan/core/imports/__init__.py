"""The import framework: declared columns, reading CSV and XLSX, validation, dry run, upsert.

An importer (see directory/importers.py) declares its columns; the framework does the rest:

1. read the file (CSV in UTF-8, UTF-8 with BOM, Windows-1252 or UTF-16; `;`, `,` or tab,
   sniffed from the header line; or XLSX), refusing binary junk, empty files and files over
   the size and row limits (reading.py);
2. match the header to the columns (names and German/English aliases), refusing unknown,
   duplicate and missing required columns (importer.py, columns.py);
3. parse every cell by its declared type and the model field's validators, refusing
   spreadsheet formulas and markup; every error names row, column, value and reason
   (cells.py, columns.py, report.py);
4. plan the changes: upsert by external ID within the masterplan, resolve references by
   external ID (to rows of the same file or records already in the plan), detect cycles
   (importer.py);
5. unless it is a dry run and only if there is no error at all: write everything in one
   transaction with bulk inserts and updates, bump versions, and record one audit entry per
   created or changed record (importer.py, runner.py).

Steps 3 to 5 run in batches, so that the memory an import needs does not grow with the file;
see runner.py. Row numbers are those a spreadsheet shows: the header is row 1, the first data
row is row 2. The entry point is `runner.import_file`; large imports in the browser run as a
background task on an ImportJob (core/tasks.py).

Apps declare their importers with the names below, which are the package's registry-facing
API; everything else is imported from the module that defines it.
"""

from masterplan.core.imports.cells import ColumnType
from masterplan.core.imports.columns import Column
from masterplan.core.imports.importer import ModelImporter
from masterplan.core.imports.registry import get_importer, importers, register

__all__ = ["Column", "ColumnType", "ModelImporter", "get_importer", "importers", "register"]
