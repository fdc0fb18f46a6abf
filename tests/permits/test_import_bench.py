"""The import bench runs on a small file and leaves nothing behind (rolled back)."""

from __future__ import annotations

import pytest

from masterplan.permits.import_bench import bench_import
from masterplan.permits.models import Procedure, ProcedureEvent

pytestmark = pytest.mark.django_db


def test_the_bench_imports_procedures_and_messages_and_rolls_back() -> None:
    procedures = bench_import("procedures", 60)
    assert procedures.created == 60 and procedures.rows_per_second > 0
    messages = bench_import("xbau", 25)
    assert messages.created == 25  # five procedures of five messages each
    assert "rows/s" in messages.line()
    assert not Procedure.objects.exists() and not ProcedureEvent.objects.exists()
