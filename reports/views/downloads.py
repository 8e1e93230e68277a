"""What every download of reports shares: the file's language, the headers of the answer
that carries the file, the links a page offers, and the plain-text 400 answers.

Downloads: GET only (each view is `require_safe`), a file name the server sets, the right
type, `nosniff` and `no-store` (reliability-security test 35). `?lang=vi|en` picks the file's
language (default: the request's); any other value answers 400, in one wording for every
download."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils import translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)


def language_name(code: str) -> str:
    """A file language's name in the active language ("Vietnamese", "English")."""
    return {"vi": _("Vietnamese"), "en": _("English")}.get(code, code)


def file_language(request: HttpRequest) -> str | None:
    """The language asked for with ?lang=, else the request's; None for an unknown code."""
    asked = request.GET.get("lang")
    if asked is None:
        current = (translation.get_language() or settings.LANGUAGE_CODE)[:2]
        return current if current in LANGUAGES else settings.LANGUAGE_CODE
    return asked if asked in LANGUAGES else None


def attachment(response: HttpResponseBase, *, filename: str, language: str) -> None:
    """Make `response` a download: an attachment under a server-chosen name, in `language`,
    never sniffed, never cached. The one place these headers are set."""
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Content-Language"] = language
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"


def download(content: bytes, *, filename: str, content_type: str, language: str) -> HttpResponse:
    """`content` as a download (see `attachment`)."""
    response = HttpResponse(content, content_type=content_type)
    attachment(response, filename=filename, language=language)
    return response


def download_links(name: str, args: list[object], query: dict[str, str]) -> list[dict[str, str]]:
    """A link per format (PDF, Excel) and language to the downloads `reports:<name>_pdf` and
    `reports:<name>_xlsx`, carrying the page's `query`."""
    return [
        {
            "label": f"{kind.upper()} · {language_name(code)}",
            "code": code,
            "url": reverse(f"reports:{name}_{kind}", args=args)
            + "?"
            + urlencode({**query, "lang": code}),
            "id": f"download-{kind}-{code}",
        }
        for kind in ("pdf", "xlsx")
        for code in LANGUAGES
    ]


def bad_request(text: str) -> HttpResponse:
    """A 400 whose body is `text`, as plain text (a download cannot show a page)."""
    return HttpResponseBadRequest(text, content_type="text/plain; charset=utf-8")


def unknown_language() -> HttpResponse:
    """The 400 of every download asked for in a language it is not offered in."""
    return bad_request(
        _("Unknown language: choose one of %(codes)s.") % {"codes": ", ".join(LANGUAGES)}
    )
