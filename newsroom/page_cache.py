"""The public pages' shared cache: whole responses, one generation for the site, validators and 304.

A page is stored whole (body and the headers its view set) in the default cache, Redis in
production, under a key made of its address (scheme, host, path and the known query
parameters). Each stored page carries the *site generation* it was rendered under: a value
kept in the cache without expiry and replaced, after the transaction commits, by every
change readers can see (``site_changed``: a publish, correction, edit of a live story, kill,
archive, unpublish, the scheduler's publish and expiry). A page is served only while its
generation is the current one, so the whole site turns over at once: a publish changes the
home page, the agency and entity lists, the feeds and the related blocks alike, and one
number for the site is simpler to get right than tracking which pages showed which story.

The generation is read *before* the view renders and stored with the page, so a publish that
commits while a page is rendering leaves that page stale-marked, never served.

A hit costs one cache round trip (``MGET`` of the generation and the page) and no database
query. With ``PAGE_CACHE_LOCAL_SECONDS`` above zero, each process also keeps pages in memory
and reads the generation at most once per that interval; the process that made a change
drops its own copies at once, other processes within the interval.

Never shared: requests carrying a session or messages cookie (a signed-in editor sees
drafts), requests with query parameters other than ``page`` and ``q``, anything but GET,
responses other than 200, responses that set a cookie, used the CSRF token or are marked
private or no-store. Those pass straight to the view.

The CSP nonce: a page with an inline script under a nonce (the article page's JSON-LD) is
replayed with the nonce of the render swapped for a fresh one, which
CSPMiddleware then writes into this response's header. Every response still has a nonce of
its own, unpredictable before it is sent; replaying the stored nonce would hand every reader
the same one for a minute, and the nonce is only worth something while it cannot be guessed.
The swap is exact: the stored nonce is 128 random bits drawn for that render, so no text of
the page can hold it by chance. A 304 carries no CSP header at all (nothing in it runs), so a
browser merging the 304's headers into its stored page keeps the header that matches it.

Counts shown on pages ("read N times", most read) are at most ``PAGE_CACHE_SECONDS`` old; the
view beacon and pixel are separate requests and never cached.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date

GENERATION_KEY = "page-cache:generation"
PAGE_KEY_PREFIX = "page-cache:page:"
# The query parameters a public page answers to; any other makes the request pass uncached.
QUERY_PARAMETERS = frozenset({"page", "q"})
# Longer searches are rare and not worth a place in the cache.
QUERY_MAX_LENGTH = 200
# The response headers a browser or proxy is told, on every page the cache may serve.
CACHE_CONTROL = "max-age=0, must-revalidate"
CONDITIONAL_HEADERS = frozenset(
    {"HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_MATCH", "HTTP_IF_UNMODIFIED_SINCE"}
)

# This process's copies (PAGE_CACHE_LOCAL_SECONDS > 0): key -> entry, all of one generation.
_local: dict[str, tuple] = {}
_local_generation: str | None = None
_local_checked_at = 0.0


def site_changed() -> None:
    """Readers' view of the site changed: no page rendered before now is served again.

    Called by the services after their transaction commits (``transaction.on_commit``).
    """
    global _local_generation, _local_checked_at
    generation = secrets.token_hex(8)
    cache.set(GENERATION_KEY, generation, timeout=None)
    # This process never serves its own copies of the old site, whatever the interval.
    _local.clear()
    _local_generation = generation
    _local_checked_at = time.monotonic()


def local_clear() -> None:
    """Forget this process's copies and the generation it last read (the shared cache was emptied)."""
    global _local_generation, _local_checked_at
    _local.clear()
    _local_generation = None
    _local_checked_at = 0.0


def site_generation() -> str | None:
    """The current generation (one cache read); None when the cache cannot be reached."""
    generation = cache.get(GENERATION_KEY)
    return generation if generation is not None else _generation_start()


def page_cache(view):
    """Serve ``view``'s public page from the shared cache, with ETag, Last-Modified and 304 answers."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if settings.PAGE_CACHE_SECONDS <= 0:  # the cache switched off
            return view(request, *args, **kwargs)
        key = _request_key(request)
        if key is None:
            return _private(view(request, *args, **kwargs))
        entry, generation = _lookup(key)
        if entry is not None:
            return _conditional(request, _replay(request, entry), entry)
        response = view(request, *args, **kwargs)
        entry = _entry(request, response, generation)
        if entry is None:
            return response
        patch_vary_headers(response, ("Cookie",))
        _validators(response, entry)
        # Stored as sent, so that a hit only copies them.
        headers = [(name, value) for name, value in response.items() if name.lower() != "content-length"]
        entry = (*entry[:3], headers, *entry[4:])
        _store(key, entry)
        return _conditional(request, response, entry)

    return wrapped


# --- The request and its key -------------------------------------------------------------------


def _request_key(request) -> str | None:
    """The cache key of ``request``'s page, or None when the request must not share the cache."""
    if request.method != "GET":
        return None
    cookies = request.COOKIES
    if cookies and (settings.SESSION_COOKIE_NAME in cookies or CookieStorage.cookie_name in cookies):
        return None
    query = ""
    if request.GET:
        pairs = []
        for name, values in request.GET.lists():
            if name not in QUERY_PARAMETERS or len(values) != 1 or len(values[0]) > QUERY_MAX_LENGTH:
                return None
            pairs.append((name, values[0]))
        query = urlencode(sorted(pairs))
    address = f"{request.scheme}://{request.get_host()}{request.path}?{query}"
    return PAGE_KEY_PREFIX + hashlib.blake2b(address.encode(), digest_size=16).hexdigest()


# --- Reading and writing the cache -------------------------------------------------------------
#
# An entry: (generation, stored_at, body, headers, nonce, etag). ``stored_at`` is the wall-clock
# time of the render (the page's Last-Modified, and its age); ``nonce`` is the CSP nonce written in
# the body, or "" when the page has none.


def _lookup(key: str) -> tuple[tuple | None, str | None]:
    """The page stored under ``key`` if it belongs to the current generation, and that generation."""
    global _local_generation, _local_checked_at
    local_seconds = settings.PAGE_CACHE_LOCAL_SECONDS
    now = time.monotonic()
    if local_seconds > 0 and _local_generation is not None and now - _local_checked_at < local_seconds:
        entry = _local.get(key)
        if entry is not None and _fresh(entry, _local_generation):
            return entry, _local_generation
    # One round trip: the generation and the page together.
    found = cache.get_many([GENERATION_KEY, key])
    generation = found.get(GENERATION_KEY) or _generation_start()
    # Unless another thread of this process read or changed the generation meanwhile (its value
    # is at least as new as this one), this process's copies follow what was just read.
    local = local_seconds > 0 and generation is not None and _local_checked_at <= now
    if local:
        if generation != _local_generation:
            _local.clear()
            _local_generation = generation
        _local_checked_at = now
    entry = found.get(key)
    if entry is None or not _fresh(entry, generation):
        return None, generation
    if local:
        _local_put(key, entry)
    return entry, generation


def _fresh(entry: tuple, generation: str | None) -> bool:
    return (
        generation is not None
        and entry[0] == generation
        and time.time() - entry[1] < settings.PAGE_CACHE_SECONDS
    )


def _store(key: str, entry: tuple) -> None:
    cache.set(key, entry, timeout=settings.PAGE_CACHE_SECONDS)
    if settings.PAGE_CACHE_LOCAL_SECONDS > 0 and entry[0] == _local_generation:
        _local_put(key, entry)


def _local_put(key: str, entry: tuple) -> None:
    if len(_local) >= settings.PAGE_CACHE_LOCAL_ENTRIES:
        _local.clear()  # a bound on memory; the busy pages come back on their next hit
    _local[key] = entry


def _generation_start() -> str | None:
    """The generation when none is stored (a fresh or flushed cache): a new one, agreed by all."""
    cache.add(GENERATION_KEY, secrets.token_hex(8), timeout=None)
    return cache.get(GENERATION_KEY)


# --- Responses ------------------------------------------------------------------------------------


def _entry(request, response, generation: str | None) -> tuple | None:
    """What to store of ``response``, or None when it must not be shared."""
    if (
        generation is None
        or response.status_code != 200
        or response.streaming
        or response.cookies
        or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        or _is_private(response)
        or getattr(getattr(request, "session", None), "modified", False)
    ):
        return None
    body = response.content
    nonce = getattr(request, "_csp_nonce", None) or ""  # django-csp's nonce, when the page used it
    if nonce and nonce.encode() not in body:
        nonce = ""
    canonical = body.replace(nonce.encode(), b"") if nonce else body
    etag = f'W/"{hashlib.blake2b(canonical, digest_size=12).hexdigest()}"'
    return (generation, time.time(), body, [], nonce, etag)


def _replay(request, entry: tuple):
    _, _, body, headers, nonce, _ = entry
    if nonce:
        fresh = getattr(request, "csp_nonce", None)
        body = body.replace(nonce.encode(), str(fresh).encode()) if fresh is not None else body
    response = HttpResponse(body)
    for name, value in headers:  # the view's, Vary and the validators
        response[name] = value
    return response


def _validators(response, entry: tuple) -> None:
    response["ETag"] = entry[5]
    response["Last-Modified"] = http_date(int(entry[1]))
    if not response.has_header("Cache-Control"):  # a view's own lifetime (the sitemaps') stands
        response["Cache-Control"] = CACHE_CONTROL


def _conditional(request, response, entry: tuple):
    meta = request.META
    if not any(name in meta for name in CONDITIONAL_HEADERS):
        return response
    answer = get_conditional_response(request, etag=entry[5], last_modified=int(entry[1]), response=response)
    if answer is not response:
        # No body, so no policy: a browser keeps the stored page's header, which matches its nonce.
        answer._csp_exempt = True
    return answer


def _is_private(response) -> bool:
    control = response.get("Cache-Control", "").lower()
    return "private" in control or "no-store" in control


def _private(response):
    """A page made for this request alone (an editor's, an unknown query): no shared cache keeps it."""
    if not response.has_header("Cache-Control"):
        patch_cache_control(response, private=True, no_cache=True)
    patch_vary_headers(response, ("Cookie",))
    return response
