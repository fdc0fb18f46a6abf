"""HTML to PDF with WeasyPrint, for every module's printable pages (review report, climate).

The renderer fetches nothing from the network: relative addresses resolve against a base URL
that exists nowhere, and its fetcher serves only this site's static files from disk.
"""

from __future__ import annotations

import functools
import hashlib
import mimetypes
import os
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FuturesTimeout
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

# WeasyPrint resolves relative addresses against this; the fetcher below serves only static
# files from disk for it and refuses everything else, so rendering never touches the network.
PDF_BASE_URL = "https://masterplan.invalid/"


def static_file(url: str) -> Path | None:
    """The file behind a static URL of this site, or None."""
    parts = urlsplit(url)
    base = urlsplit(PDF_BASE_URL)
    if (parts.scheme, parts.netloc) != (base.scheme, base.netloc):
        return None
    prefix = urlsplit(settings.STATIC_URL).path
    if not parts.path.startswith(prefix):
        return None
    name = parts.path[len(prefix) :]
    if ".." in Path(name).parts:
        return None
    if staticfiles_storage.exists(name):
        return Path(staticfiles_storage.path(name))
    found = finders.find(name)
    return Path(found) if isinstance(found, str) else None


@functools.lru_cache(maxsize=16)
def decoded_font(path: Path, modified: float) -> bytes:
    """A WOFF2 font as plain OpenType, decoded once per process.

    WeasyPrint would decode it with fontTools on every PDF, about a second per font face.
    """
    from fontTools.ttLib import woff2

    decoded = BytesIO()
    woff2.decompress(BytesIO(path.read_bytes()), decoded)
    return decoded.getvalue()


def static_body(path: Path) -> bytes:
    if path.suffix == ".woff2":
        return decoded_font(path, path.stat().st_mtime)
    return path.read_bytes()


def html_to_pdf(html: str) -> bytes:
    """Render HTML with WeasyPrint; static files come from disk, nothing from the network.

    WeasyPrint is imported here, not at the top: it needs the Pango system libraries, and the
    rest of the site works without them.
    """
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    # WeasyPrint has no type hints, so its URLFetcher is Any to mypy.
    class StaticFilesFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            path = static_file(url)
            if path is None:
                raise ValueError(f"not a static file of this site: {url}")
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(
                url, body=static_body(path), headers={"Content-Type": content_type}
            )

    document = HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=StaticFilesFetcher())
    return bytes(document.write_pdf())


# --- the PDF cache and rendering in the background -----------------------------------------
#
# Rendering a report takes seconds. A PDF is kept on disk under a key made of everything it
# shows (the plan's data state, i.e. its newest audit entry, the parameters, the reader, the
# language and the day), so asking again for an unchanged report costs a file read. A PDF not
# yet in the cache renders in a thread of this process (WeasyPrint reads no database; the HTML
# was made in the request); when it takes longer than PDF_WAIT_SECONDS the reader gets a page
# that says the PDF is being prepared and reloads itself (a meta refresh: no JavaScript needed).

PDF_CACHE_FILES = 200  # the newest ones are kept

_executor = ThreadPoolExecutor(max_workers=2, thread_name_prefix="pdf")
_running: dict[str, Future[bytes]] = {}
_running_lock = threading.Lock()


def pdf_cache_key(*parts: object) -> str:
    """A file name for the PDF that these parts describe (each part is written with repr)."""
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def reader(user: Any, masterplan: Any) -> tuple[object, ...]:
    """Who reads a PDF, as far as it changes what it shows: the user, whether they administer
    the site, and their roles in the plan."""
    if not user.is_authenticated:
        return ("anonymous",)
    from masterplan.core.models import PlanRole

    roles = PlanRole.objects.filter(user_id=user.pk, masterplan=masterplan)
    return (
        user.pk,
        user.is_superuser,
        sorted(roles.values_list("role", "organization_id"), key=str),
    )


def cache_dir() -> Path:
    return Path(settings.PDF_CACHE_DIR)


def cached(key: str) -> bytes | None:
    path = cache_dir() / f"{key}.pdf"
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def store(key: str, pdf: bytes) -> None:
    """Write atomically (another process may read it meanwhile) and keep the newest files."""
    directory = cache_dir()
    directory.mkdir(parents=True, exist_ok=True)
    partial = directory / f"{key}.{threading.get_ident()}.part"
    partial.write_bytes(pdf)
    os.replace(partial, directory / f"{key}.pdf")
    files = sorted(directory.glob("*.pdf"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in files[PDF_CACHE_FILES:]:
        old.unlink(missing_ok=True)


def render_and_store(key: str, html: str, render: Callable[[str], bytes]) -> bytes:
    pdf = render(html)
    store(key, pdf)
    return pdf


@dataclass(frozen=True)
class PdfOutcome:
    """The PDF, or that it is still being prepared, or that this server cannot render PDFs."""

    pdf: bytes | None = None
    preparing: bool = False
    unavailable: bool = False


def pdf_for(
    key: str, html: Callable[[], str], render: Callable[[str], bytes] = html_to_pdf
) -> PdfOutcome:
    """The PDF under `key`: from the cache, or rendered from `html()` (called only then)."""
    pdf = cached(key)
    if pdf is not None:
        return PdfOutcome(pdf=pdf)
    with _running_lock:
        future = _running.get(key)
        if future is None:
            future = _executor.submit(render_and_store, key, html(), render)
            _running[key] = future
    try:
        pdf = future.result(timeout=float(settings.PDF_WAIT_SECONDS))
    except FuturesTimeout:
        return PdfOutcome(preparing=True)
    except OSError:  # WeasyPrint without the Pango libraries (see README, "PDF")
        return PdfOutcome(unavailable=True)
    finally:
        if future.done():
            with _running_lock:
                if _running.get(key) is future:
                    del _running[key]
    return PdfOutcome(pdf=pdf)


def preparing_response(request: HttpRequest, *, title: str) -> HttpResponse:
    """202 with a page that reloads itself until the PDF is there."""
    response = render(
        request,
        "core/pdf_preparing.html",
        {"title": title, "again": request.get_full_path(), "seconds": 2},
        status=202,
    )
    response["Cache-Control"] = "no-store"
    response["Retry-After"] = "2"
    return response
