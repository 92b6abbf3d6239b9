"""One way out to the web: every page Newsroom downloads comes through ``fetch``.

A URL (and each redirect it leads to) is fetched only when it is http or https and its host,
resolved once, gives nothing but public addresses (``articles/extraction/addresses.py`` says
which are not: loopback, private, link-local, multicast, reserved, unspecified, shared, and
IPv6 forms of them, in every spelling). The connection goes to the address that was checked,
never to a second lookup of the name, so DNS rebinding cannot swap it; the Host header, TLS
SNI and certificate check still use the name. Trusted internal sources (host names, domains,
networks) are let through by the policy's ``TrustedSources``.

The whole download, DNS, redirects and a server that drips one byte a second included, ends by
the policy's ``timeout``: a watchdog shuts the socket at the deadline. The body is read through
the size cap, never more than ``max_bytes + 1`` bytes, so an endless page costs one cap of memory.

Built on urllib3's connection classes (already the project's HTTP client) with ``_new_conn``
overridden to connect to the pinned address; no pool, one connection per hop.
"""

from __future__ import annotations

import dataclasses
import email.utils
import http.client
import ipaddress
import logging
import re
import socket
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import urllib3
from urllib3.connection import HTTPConnection, HTTPSConnection

from articles.extraction.addresses import Host, HostError, IPAddress, address_kind, host_parse, name_kind

logger = logging.getLogger(__name__)

SCHEMES = frozenset({"http", "https"})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_CHUNK = 64 * 1024
_DNS_NAME = re.compile(r"[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?)*")

Resolver = Callable[[str, int, float], list[IPAddress]]


class FetchError(Exception):
    """A page could not be fetched; the message says which and why."""

    verb = "could not fetch"

    def __init__(self, url: str, reason: str, *, status: int | None = None, retry_after: float | None = None):
        super().__init__(f"{self.verb} {url}: {reason}")
        self.url = url
        self.reason = reason
        # The HTTP status the server answered, and the seconds it asked to be left alone
        # (``Retry-After`` on a 429 or 503), where it said so.
        self.status = status
        self.retry_after = retry_after


class FetchRefused(FetchError):
    """The address policy refused the URL or a redirect from it."""

    verb = "will not fetch"


@dataclass(frozen=True)
class TrustedSources:
    """Internal sources an operator trusts although their addresses are not public.

    ``names`` match a host exactly, ``domains`` (written with a leading dot) a host and every
    name under it, ``networks`` any address in them, whatever name led there.
    """

    names: frozenset[str] = frozenset()
    domains: tuple[str, ...] = ()
    networks: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = ()

    @classmethod
    def parse(cls, entries: Iterable[str]) -> TrustedSources:
        """Read entries such as ``wire.internal``, ``.agency.lan``, ``10.20.0.0/16``, ``::1``."""
        names, domains, networks = set(), [], []
        for entry in (entry.strip() for entry in entries):
            if not entry:
                continue
            try:
                networks.append(ipaddress.ip_network(entry.strip("[]"), strict=False))
                continue
            except ValueError:
                pass
            try:
                host = host_parse(entry.lstrip("."))
            except HostError:
                host = None
            if host is None or (host.address is None and not _DNS_NAME.fullmatch(host.name)):
                raise ValueError(f"{entry!r} is neither a host name nor an IP network")
            if host.address is not None:
                networks.append(ipaddress.ip_network(host.address))
            elif entry.startswith("."):
                domains.append(f".{host.name}")
            else:
                names.add(host.name)
        return cls(frozenset(names), tuple(domains), tuple(networks))

    def trusts_name(self, name: str) -> bool:
        return name in self.names or any(name == d[1:] or name.endswith(d) for d in self.domains)

    def trusts_address(self, address: IPAddress) -> bool:
        return any(address in network for network in self.networks)


@dataclass(frozen=True)
class FetchPolicy:
    timeout: float  # seconds for the whole download, redirects included
    max_bytes: int
    max_redirects: int = 5
    user_agent: str = "Newsroom"
    trusted: TrustedSources = field(default_factory=TrustedSources)


@dataclass(frozen=True)
class FetchedPage:
    url: str  # after redirects
    content: bytes
    content_type: str
    redirects: tuple[str, ...] = ()  # the addresses that answered with a redirect, in order
    status: int = 200  # 304 only when the request was conditional (``headers``) and nothing changed
    etag: str = ""
    last_modified: str = ""

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def fetch(
    url: str,
    *,
    policy: FetchPolicy,
    headers: dict[str, str] | None = None,
    resolver: Resolver | None = None,
    ssl_context=None,
) -> FetchedPage:
    """Download ``url`` within ``policy``; ``FetchRefused`` or ``FetchError`` says why not.

    ``headers`` are sent with every hop besides the fetcher's own; with ``If-None-Match`` or
    ``If-Modified-Since`` among them a 304 answer is a page with ``not_modified`` and no bytes.
    ``resolver`` (name, port, seconds) -> addresses replaces the system's lookup, and
    ``ssl_context`` the default certificate store; tests use both.
    """
    resolver = resolver or resolve
    watchdog = _Watchdog(policy.timeout)
    hops: list[str] = []
    current = url
    try:
        while True:
            try:
                response_or_page = _get(
                    current,
                    policy=policy,
                    headers=headers or {},
                    resolver=resolver,
                    watchdog=watchdog,
                    ssl_context=ssl_context,
                )
            except FetchError as exc:
                if not hops:
                    raise
                raise type(exc)(
                    url,
                    f"redirect {len(hops)} to {current}: {exc.reason}",
                    status=exc.status,
                    retry_after=exc.retry_after,
                ) from exc
            if isinstance(response_or_page, FetchedPage):
                return dataclasses.replace(response_or_page, redirects=tuple(hops))
            hops.append(current)
            if len(hops) > policy.max_redirects:
                raise FetchError(url, f"more than {policy.max_redirects} redirects")
            current = response_or_page
    except FetchRefused as exc:
        logger.warning("%s", exc)
        raise
    finally:
        watchdog.cancel()


def resolve(name: str, port: int, timeout: float) -> list[IPAddress]:
    """Every address ``name`` resolves to, in the resolver's order, looked up within ``timeout``."""
    outcome: dict[str, object] = {}

    def lookup():
        try:
            outcome["infos"] = socket.getaddrinfo(name, port, type=socket.SOCK_STREAM)
        except OSError as exc:
            outcome["error"] = exc

    thread = threading.Thread(target=lookup, name="fetch-resolve", daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        raise TimeoutError(f"looking up {name} took longer than {timeout:.1f} s")
    if "error" in outcome:
        raise OSError(f"{name} could not be resolved: {outcome['error']}")
    addresses: list[IPAddress] = []
    for family, _, _, _, sockaddr in outcome["infos"]:
        if family in (socket.AF_INET, socket.AF_INET6):
            address = ipaddress.ip_address(sockaddr[0])
            if address not in addresses:
                addresses.append(address)
    return addresses


@dataclass(frozen=True)
class _Target:
    scheme: str
    host: Host
    port: int
    path: str  # path and query, what the request line asks for


def _target(url: str) -> _Target:
    """The URL split as a browser splits an http(s) address, or FetchRefused."""
    cleaned = "".join(ch for ch in url.strip() if ch not in "\t\n\r").replace("\\", "/")
    try:
        parts = urlsplit(cleaned)
        hostname, port = parts.hostname, parts.port
    except ValueError as exc:
        raise FetchRefused(url, f"not a valid web address ({exc})") from exc
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        raise FetchRefused(url, f"only http and https addresses are fetched, not {scheme or 'this'}")
    if not hostname:
        raise FetchRefused(url, "the address names no host")
    try:
        host = host_parse(hostname)
    except HostError as exc:
        raise FetchRefused(url, str(exc)) from exc
    path = parts.path or "/"
    if parts.query:
        path += f"?{parts.query}"
    return _Target(scheme, host, port or (443 if scheme == "https" else 80), path)


def _addresses(
    url: str, target: _Target, *, policy: FetchPolicy, resolver: Resolver, watchdog: _Watchdog
) -> list[IPAddress]:
    """The checked addresses to connect to for ``target``: all public, or trusted."""
    trusted, host = policy.trusted, target.host
    if host.address is not None:
        kind = None if trusted.trusts_address(host.address) else address_kind(host.address)
        if kind:
            raise FetchRefused(url, f"{host.label} is {kind}")
        return [host.address]
    name_trusted = trusted.trusts_name(host.name)
    kind = None if name_trusted else name_kind(host.name)
    if kind:
        raise FetchRefused(url, f"{host.name} is {kind}")
    try:
        addresses = resolver(host.name, target.port, watchdog.left())
    except OSError as exc:
        raise FetchError(url, str(exc)) from exc
    if not addresses:
        raise FetchError(url, f"{host.name} resolves to no address")
    if not name_trusted:
        for address in addresses:
            kind = None if trusted.trusts_address(address) else address_kind(address)
            if kind:
                raise FetchRefused(url, f"{host.name} resolves to {address}, {kind}")
    return addresses


def retry_after_seconds(value: str, *, now: float | None = None) -> float | None:
    """The seconds a ``Retry-After`` header asks for (a number or an HTTP date); None if unreadable."""
    value = (value or "").strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None or when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


_CONDITIONAL = ("if-none-match", "if-modified-since")


def _get(
    url: str,
    *,
    policy: FetchPolicy,
    headers: dict[str, str],
    resolver: Resolver,
    watchdog: _Watchdog,
    ssl_context,
) -> FetchedPage | str:
    """One hop: the page, or the URL it redirects to."""
    target = _target(url)
    addresses = _addresses(url, target, policy=policy, resolver=resolver, watchdog=watchdog)
    conn = _connect(url, target, addresses, watchdog=watchdog, ssl_context=ssl_context)
    try:
        conn.request(
            "GET",
            target.path,
            headers={"User-Agent": policy.user_agent, "Accept": "*/*", **headers},
            preload_content=False,
            decode_content=True,
        )
        response = conn.getresponse()
        if response.status in REDIRECT_STATUSES and response.headers.get("Location"):
            return urljoin(url, response.headers["Location"])
        if response.status == 304 and any(name.lower() in _CONDITIONAL for name in headers):
            return FetchedPage(
                url,
                b"",
                response.headers.get("Content-Type", ""),
                status=304,
                etag=response.headers.get("ETag", ""),
                last_modified=response.headers.get("Last-Modified", ""),
            )
        if response.status >= 300:
            retry_after = None
            if response.status in (429, 503):
                retry_after = retry_after_seconds(response.headers.get("Retry-After", ""))
            raise FetchError(url, f"HTTP {response.status}", status=response.status, retry_after=retry_after)
        length = response.headers.get("Content-Length", "")
        if length.isdigit() and int(length) > policy.max_bytes:
            raise FetchError(url, f"{int(length):,} bytes is over the {policy.max_bytes:,}-byte limit")
        content = _read_capped(url, response, policy.max_bytes)
    except (OSError, urllib3.exceptions.HTTPError, http.client.HTTPException) as exc:
        if watchdog.expired or watchdog.left() == 0:
            raise FetchError(url, watchdog.reason) from exc
        raise FetchError(url, f"{type(exc).__name__}: {exc}") from exc
    finally:
        watchdog.release()
        conn.close()
    if watchdog.expired:  # a cut connection can look like a page that simply ended
        raise FetchError(url, watchdog.reason)
    return FetchedPage(
        url,
        content,
        response.headers.get("Content-Type", ""),
        etag=response.headers.get("ETag", ""),
        last_modified=response.headers.get("Last-Modified", ""),
    )


def _read_capped(url: str, response, max_bytes: int) -> bytes:
    chunks, size = [], 0
    while chunk := response.read(min(_CHUNK, max_bytes + 1 - size)):
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(url, f"over the {max_bytes:,}-byte limit")
        chunks.append(chunk)
    return b"".join(chunks)


def _connect(url: str, target: _Target, addresses: list[IPAddress], *, watchdog: _Watchdog, ssl_context):
    """A connection to the first of ``addresses`` that answers; the name stays the Host and TLS name."""
    errors = []
    for address in addresses:
        timeout = watchdog.left()
        if timeout <= 0:
            break
        if target.scheme == "https":
            conn = _PinnedHTTPSConnection(
                target.host.name, target.port, timeout=timeout, ssl_context=ssl_context
            )
        else:
            conn = _PinnedHTTPConnection(target.host.name, target.port, timeout=timeout)
        conn.pinned_address, conn.watchdog = str(address), watchdog
        try:
            conn.connect()
            return conn
        except (OSError, urllib3.exceptions.HTTPError) as exc:
            watchdog.release()
            conn.close()
            errors.append(f"{address}: {exc}")
    if watchdog.expired or watchdog.left() <= 0:
        raise FetchError(url, watchdog.reason)
    raise FetchError(url, f"could not connect ({'; '.join(errors)})")


class _PinnedConnectionMixin:
    """Opens the TCP connection to ``pinned_address``, the address that was checked."""

    pinned_address: str
    watchdog: _Watchdog

    def _new_conn(self) -> socket.socket:
        sock = socket.create_connection((self.pinned_address, self.port), timeout=self.timeout)
        self.watchdog.watch(sock)
        return sock


class _PinnedHTTPConnection(_PinnedConnectionMixin, HTTPConnection):
    pass


class _PinnedHTTPSConnection(_PinnedConnectionMixin, HTTPSConnection):
    pass


class _Watchdog:
    """Shuts the open socket down when the deadline passes, which ends any read blocked on it.

    A socket timeout bounds one read; a server sending a byte just before each timeout would
    hold a download for ever, and TLS and header reads are out of the caller's hands.
    """

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.expired = False
        self._end = time.monotonic() + seconds
        self._fd: int | None = None
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()

    @property
    def reason(self) -> str:
        return f"the download took longer than the {self.seconds:g} s limit"

    def left(self) -> float:
        return max(0.0, self._end - time.monotonic())

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            self._fd = sock.fileno()
            if self.expired:
                self._cut()

    def release(self) -> None:
        """Forget the socket before it is closed (its descriptor may be reused)."""
        with self._lock:
            self._fd = None

    def cancel(self) -> None:
        self._timer.cancel()
        self.release()

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            self._cut()

    def _cut(self) -> None:
        if self._fd is None:
            return
        # Through a duplicate of the descriptor: the socket object may be wrapped by TLS by now,
        # and shutdown acts on the connection whichever descriptor names it.
        try:
            with socket.fromfd(self._fd, socket.AF_INET, socket.SOCK_STREAM) as sock:
                sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
