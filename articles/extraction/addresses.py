"""Which hosts are not the public internet: the one rule for the fetcher and for images in bodies.

A host is read the way a browser reads it (WHATWG URL): percent-decoded, mapped by UTS #46
(so ``ⓛocalhost`` and full-width digits are plain ASCII), a trailing dot dropped, and every
IPv4 spelling a browser accepts (``2130706433``, ``127.1``, ``0x7f.1``, ``0177.0.0.1``) read as
the address it names. An address is public unless it falls in a special-purpose range
(IANA's IPv4 and IPv6 special-purpose registries, multicast included); an IPv6 address that
carries an IPv4 one (mapped, compatible, 6to4, NAT64) is judged by the IPv4 address inside.
The fetcher resolves names and judges every address (``articles/fetcher.py``); the body
sanitiser, which resolves nothing, drops images whose host is a literal non-public address or
a local name (``sanitize.image_url_allowed``). Kept here, in the pure package, so both can.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

import idna

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Special-purpose ranges, each with what an editor is told about it. The first match names it.
_SPECIAL_V4 = [
    (ipaddress.ip_network(net), kind)
    for net, kind in (
        ("0.0.0.0/8", "an unspecified address"),
        ("10.0.0.0/8", "a private address"),
        ("100.64.0.0/10", "a shared (carrier-grade NAT) address"),
        ("127.0.0.0/8", "a loopback address"),
        ("169.254.0.0/16", "a link-local address"),
        ("172.16.0.0/12", "a private address"),
        ("192.0.0.0/24", "a reserved protocol address"),
        ("192.0.2.0/24", "a documentation address"),
        ("192.88.99.0/24", "a reserved relay address"),
        ("192.168.0.0/16", "a private address"),
        ("198.18.0.0/15", "a benchmarking address"),
        ("198.51.100.0/24", "a documentation address"),
        ("203.0.113.0/24", "a documentation address"),
        ("224.0.0.0/4", "a multicast address"),
        ("240.0.0.0/4", "a reserved address"),
    )
]
_SPECIAL_V6 = [
    (ipaddress.ip_network(net), kind)
    for net, kind in (
        ("::/128", "an unspecified address"),
        ("::1/128", "a loopback address"),
        ("64:ff9b:1::/48", "a private (local NAT64) address"),
        ("100::/64", "a discard address"),
        ("2001::/32", "a Teredo tunnel address"),
        ("2001:db8::/32", "a documentation address"),
        ("3fff::/20", "a documentation address"),
        ("5f00::/16", "a segment routing address"),
        ("fc00::/7", "a private (unique local) address"),
        ("fe80::/10", "a link-local address"),
        ("fec0::/10", "a site-local address"),
        ("ff00::/8", "a multicast address"),
    )
]
# IPv6 ranges that carry an IPv4 address, and where it sits in them.
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_SIX_TO_FOUR = ipaddress.ip_network("2002::/16")
_COMPATIBLE = ipaddress.ip_network("::/96")

# Names that mean this machine or the local network wherever they are looked up: RFC 6761
# (localhost), RFC 6762 (.local, mDNS), RFC 8375 (.home.arpa), ICANN's .internal, and the
# names Debian's /etc/hosts gives the loopback addresses.
_LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})
_LOCAL_SUFFIXES = (".localhost", ".local", ".localdomain", ".internal", ".home.arpa")

# WHATWG: a host whose last label is a number is an IPv4 address (or no valid host at all).
_NUMBER_LABEL = re.compile(r"(?:0[xX][0-9a-fA-F]*|[0-9]+)")
# WHATWG strips these from anywhere in a URL; for http(s) a backslash is a slash.
_URL_NOISE = re.compile(r"[\t\n\r]")
_C0_AND_SPACE = "".join(map(chr, range(0x21)))


class HostError(ValueError):
    """A host no browser or resolver would accept."""


@dataclass(frozen=True)
class Host:
    """A URL's host as a browser reads it: an ASCII name, and the address when it is one."""

    name: str
    address: IPAddress | None = None

    @property
    def label(self) -> str:
        """The host as written in a URL: an IPv6 address in brackets."""
        if isinstance(self.address, ipaddress.IPv6Address):
            return f"[{self.address}]"
        return self.name


def host_parse(hostname: str) -> Host:
    """Read a URL's host (without brackets or port) as a browser would; ``HostError`` if it is none."""
    text = unquote(hostname)
    if ":" in text:
        try:
            address = ipaddress.IPv6Address(text)
        except ValueError as exc:
            raise HostError(f"{hostname!r} is not a valid IPv6 address") from exc
        return Host(str(address), address)
    try:
        name = idna.uts46_remap(text, std3_rules=False, transitional=False)
    except idna.IDNAError as exc:
        raise HostError(f"{hostname!r} is not a valid host name") from exc
    labels = name.split(".")
    if labels and labels[-1] == "" and len(labels) > 1:
        labels.pop()
    if not labels or not labels[-1]:
        raise HostError(f"{hostname!r} is not a valid host name")
    if _NUMBER_LABEL.fullmatch(labels[-1]):
        address = _ipv4_parse(labels)
        return Host(str(address), address)
    try:
        ascii_name = ".".join(label if label.isascii() else idna.encode(label).decode() for label in labels)
    except idna.IDNAError as exc:
        raise HostError(f"{hostname!r} is not a valid host name") from exc
    return Host(ascii_name.lower())


def url_host(url: str) -> Host | None:
    """The host of an http(s) URL as a browser reads it; None when there is none or it is invalid."""
    cleaned = _URL_NOISE.sub("", url).strip(_C0_AND_SPACE)
    try:
        parts = urlsplit(cleaned.replace("\\", "/"))
        hostname = parts.hostname
    except ValueError:
        return None
    if not hostname:
        return None
    try:
        return host_parse(hostname)
    except HostError:
        return None


def address_kind(address: IPAddress) -> str | None:
    """What kind of non-public address this is ("a loopback address"), or None for a public one."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(address)
        if embedded is not None:
            kind = address_kind(embedded)
            return f"{kind} ({embedded}) inside an IPv6 one" if kind else None
        table = _SPECIAL_V6
    else:
        table = _SPECIAL_V4
    for network, kind in table:
        if address in network:
            return kind
    # Anything IANA lists as not globally reachable that the table has no name for.
    return None if address.is_global else "a reserved address"


def name_kind(name: str) -> str | None:
    """What kind of local name this is, or None for a name that could be on the public internet."""
    if name in _LOCAL_NAMES or name.endswith(_LOCAL_SUFFIXES):
        return "a local name"
    if "." not in name:
        return "a single-label (local network) name"
    return None


def host_kind(host: Host) -> str | None:
    """Why a host is not on the public internet, judged without resolving it; None when it may be."""
    if host.address is not None:
        return address_kind(host.address)
    return name_kind(host.name)


def _ipv4_parse(labels: list[str]) -> ipaddress.IPv4Address:
    """The WHATWG IPv4 parser: up to four numbers, decimal, octal (0...) or hex (0x...)."""
    if len(labels) > 4:
        raise HostError(f"{'.'.join(labels)!r} is not a valid IPv4 address")
    numbers = []
    for label in labels:
        if not label:
            raise HostError(f"{'.'.join(labels)!r} is not a valid IPv4 address")
        if label[:2] in ("0x", "0X"):
            digits, base = label[2:] or "0", 16
        elif len(label) > 1 and label[0] == "0":
            digits, base = label[1:], 8
        else:
            digits, base = label, 10
        try:
            numbers.append(int(digits, base))
        except ValueError as exc:
            raise HostError(f"{'.'.join(labels)!r} is not a valid IPv4 address") from exc
    *leading, last = numbers
    if any(number > 255 for number in leading) or last >= 256 ** (5 - len(numbers)):
        raise HostError(f"{'.'.join(labels)!r} is not a valid IPv4 address")
    value = last
    for index, number in enumerate(leading):
        value += number << (8 * (3 - index))
    return ipaddress.IPv4Address(value)


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if address in _SIX_TO_FOUR:
        return address.sixtofour
    # ::a.b.c.d (deprecated "compatible" form); :: and ::1 themselves are named by the table.
    if address in _COMPATIBLE and int(address) > 1:
        return ipaddress.IPv4Address(int(address))
    return None
