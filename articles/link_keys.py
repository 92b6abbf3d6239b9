"""One key for every spelling of a story's address, so a link found on a page finds the story stored from it.

Sites link to their own stories in many spellings: ``http`` or ``https``, with or without
``www.``, a trailing slash, a fragment, campaign parameters (``utm_source``, ``fbclid``, ...),
parameters in another order. ``link_key`` reads them all as one address and answers a short
digest of it, which is what the database indexes (a URL may be 2,000 characters long).
"""

from __future__ import annotations

import hashlib
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

# Query parameters that say how a reader arrived, never which page it is.
TRACKING_PARAMETERS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "msclkid",
        "mc_cid",
        "mc_eid",
        "ocid",
        "cmpid",
        "cmp",
        "smid",
        "smtyp",
        "ref",
        "ref_src",
        "src",
        "ito",
        "taid",
        "at_medium",
        "at_campaign",
        "__twitter_impression",
        "amp",
        "outputtype",
    }
)
HOST_PREFIXES = ("www.", "m.", "amp.", "mobile.")
PATH_SAFE = "/%:@!$&'()*+,;=-._~"


def link_address(url: str) -> str:
    """The address ``url`` names, written one way; "" for anything but an http(s) URL."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return ""
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return ""
    host = parts.hostname.rstrip(".")
    for prefix in HOST_PREFIXES:
        if host.startswith(prefix) and host.count(".") > 1:
            host = host[len(prefix) :]
            break
    if port not in (None, 80, 443):
        host = f"{host}:{port}"
    path = quote(unquote(parts.path), safe=PATH_SAFE)
    while "//" in path:
        path = path.replace("//", "/")
    path = path.removesuffix("/amp").removesuffix("/") or "/"
    if path.endswith(("/index.html", "/index.htm", "/index.php")):
        path = path.rsplit("/", 1)[0] or "/"
    query = sorted(
        (name, value)
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
        if not name.lower().startswith("utm_") and name.lower() not in TRACKING_PARAMETERS
    )
    address = f"//{host}{path}"
    return f"{address}?{urlencode(query)}" if query else address


def link_key(url: str) -> str:
    """A 32-character digest of ``link_address(url)``; "" when ``url`` is no http(s) address."""
    address = link_address(url)
    if not address:
        return ""
    return hashlib.blake2b(address.encode(), digest_size=16).hexdigest()
