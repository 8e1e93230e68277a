"""The project's URL patterns as (route, namespaced name) pairs, for the tests that hold every
URL to a rule (login required, access log, permission matrix)."""

from collections.abc import Iterator

from django.urls import URLPattern, URLResolver, get_resolver


def routes(
    resolver: URLResolver | None = None, prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, str]]:
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from routes(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), f"{namespace}{entry.name or ''}"
