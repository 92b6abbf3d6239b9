"""System checks of the articles settings, run by ``manage.py check`` and at every start."""

from django.conf import settings
from django.core import checks

from articles.fetcher import TrustedSources


@checks.register(checks.Tags.security)
def fetch_trusted_sources_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """A malformed FETCH_TRUSTED_SOURCES entry is an error at start, not at the first URL ingested."""
    try:
        TrustedSources.parse(settings.FETCH_TRUSTED_SOURCES)
    except ValueError as exc:
        return [
            checks.Error(
                f"FETCH_TRUSTED_SOURCES: {exc}.",
                hint="Comma-separated host names, .domains and IP networks such as 10.20.0.0/16.",
                id="articles.E001",
            )
        ]
    return []


@checks.register()
def site_url_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """SITE_URL is an origin: page paths are appended to it, so a path or query there would be doubled."""
    from urllib.parse import urlsplit

    if not settings.SITE_URL:
        return []
    parts = urlsplit(settings.SITE_URL)
    if (
        parts.scheme in ("http", "https")
        and parts.netloc
        and not (parts.path or parts.query or parts.fragment)
    ):
        return []
    return [
        checks.Error(
            f"SITE_URL must be the site's origin, scheme and host only; {settings.SITE_URL!r} is not.",
            hint="For example https://news.example.org",
            id="articles.E002",
        )
    ]
