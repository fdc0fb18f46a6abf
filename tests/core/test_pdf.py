"""HTML to PDF: the renderer reads this site's static files and nothing else."""

from __future__ import annotations

from masterplan.core.pdf import PDF_BASE_URL, static_file


def test_pdf_fetches_nothing_but_static_files() -> None:
    assert static_file(PDF_BASE_URL + "static/plans/report-print.css") is not None
    assert static_file(PDF_BASE_URL + "static/../settings.py") is None
    assert static_file("https://example.org/static/plans/report-print.css") is None
    assert static_file("file:///etc/passwd") is None
