"""Who sent a request: the client address, read only where a trusted proxy wrote it.

One function for every rule keyed on the client (login lockout, API throttling, view
counting), so they all agree. ``TRUSTED_PROXY_COUNT`` is the number of reverse proxies
in front of the application. Each proxy appends the address it received the request from
to ``X-Forwarded-For``, so with N proxies the client is the Nth address from the right;
anything left of it was sent by the client and may be forged. With 0, ``REMOTE_ADDR``.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def client_address(request) -> str:
    """The client's address as the outermost trusted proxy saw it ("" when there is none)."""
    meta = request.META
    remote = _normalised(meta.get("REMOTE_ADDR", "")) or ""
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = meta.get("HTTP_X_FORWARDED_FOR", "")
    if count <= 0 or not forwarded:
        return remote
    addresses = [part.strip() for part in forwarded.split(",")]
    # Fewer addresses than proxies: the request came in past the outer ones, and every
    # address in the header was still written by a proxy of ours; the leftmost is the furthest.
    chosen = addresses[-min(count, len(addresses))]
    return _normalised(chosen) or remote


def _normalised(text: str) -> str | None:
    """The address in its canonical spelling, or None when ``text`` is no address."""
    text = text.strip()
    if text.startswith("[") and "]" in text:  # "[2001:db8::1]:443"
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # "192.0.2.1:443"
        text = text.partition(":")[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return str(address)
