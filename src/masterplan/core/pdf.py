"""HTML to PDF with WeasyPrint, for every module's printable pages (review report, climate).

The renderer fetches nothing from the network: relative addresses resolve against a base URL
that exists nowhere, and its fetcher serves only this site's static files from disk.
"""

from __future__ import annotations

import functools
import mimetypes
from io import BytesIO
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage

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
    from fontTools.ttLib import woff2  # type: ignore[import-untyped]

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
    from weasyprint import HTML  # type: ignore[import-untyped]
    from weasyprint.urls import URLFetcher, URLFetcherResponse  # type: ignore[import-untyped]

    class StaticFilesFetcher(URLFetcher):
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
