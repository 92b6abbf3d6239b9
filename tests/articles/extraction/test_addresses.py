"""The address policy: every spelling of a host read as a browser reads it, every special range named."""

import ipaddress

import pytest
from hypothesis import given
from hypothesis import strategies as st

from articles.extraction.addresses import HostError, address_kind, host_kind, host_parse, name_kind, url_host


@pytest.mark.parametrize(
    ("host", "address"),
    [
        ("2130706433", "127.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("127.0.1", "127.0.0.1"),
        ("0x7f.1", "127.0.0.1"),
        ("0X7F.0.0.1", "127.0.0.1"),
        ("0x7f000001", "127.0.0.1"),
        ("0177.0.0.1", "127.0.0.1"),
        ("0177.0.0.01", "127.0.0.1"),
        ("127.0.0.1.", "127.0.0.1"),
        ("%31%32%37.0.0.1", "127.0.0.1"),
        ("１２７.０.０.１", "127.0.0.1"),
        ("127。0。0。1", "127.0.0.1"),
        ("0", "0.0.0.0"),
        ("0x", "0.0.0.0"),
        ("169.254.43518", "169.254.169.254"),
        ("::1", "::1"),
        ("0:0:0:0:0:0:0:1", "::1"),
        ("::ffff:127.0.0.1", "::ffff:7f00:1"),
    ],
)
def test_every_ipv4_and_ipv6_spelling_is_read_as_the_address_it_names(host, address):
    assert host_parse(host).address == ipaddress.ip_address(address)


@pytest.mark.parametrize(
    ("host", "name"),
    [
        ("LOCALHOST.", "localhost"),
        ("ⓛocalhost", "localhost"),
        ("Bücher.de", "xn--bcher-kva.de"),
        ("a.b.c", "a.b.c"),
    ],
)
def test_names_are_mapped_to_lower_case_ascii_without_the_root_dot(host, name):
    assert host_parse(host).name == name and host_parse(host).address is None


@pytest.mark.parametrize(
    "host", ["1.2.3.4.5", "256.0.0.1", "1.2.3.0x100", "0x100000000", "1.08.0.1", "::g", "."]
)
def test_hosts_no_browser_accepts_are_errors(host):
    with pytest.raises(HostError):
        host_parse(host)


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("0.0.0.0", "unspecified"),
        ("0.1.2.3", "unspecified"),
        ("10.255.0.1", "private"),
        ("100.64.0.1", "shared"),
        ("100.127.255.254", "shared"),
        ("127.8.9.10", "loopback"),
        ("169.254.169.254", "link-local"),
        ("172.31.255.255", "private"),
        ("192.0.0.8", "reserved protocol"),
        ("192.0.2.1", "documentation"),
        ("192.168.0.1", "private"),
        ("198.18.0.1", "benchmarking"),
        ("224.0.0.251", "multicast"),
        ("239.255.255.250", "multicast"),
        ("240.0.0.1", "reserved"),
        ("255.255.255.255", "reserved"),
        ("::", "unspecified"),
        ("::1", "loopback"),
        ("fc00::1", "unique local"),
        ("fd12:3456::1", "unique local"),
        ("fe80::1", "link-local"),
        ("fec0::1", "site-local"),
        ("ff02::1", "multicast"),
        ("2001:db8::1", "documentation"),
        ("2001::1", "Teredo"),
        ("64:ff9b:1::a", "local NAT64"),
        ("::ffff:10.0.0.1", "private address (10.0.0.1) inside an IPv6 one"),
        ("::ffff:169.254.169.254", "link-local address (169.254.169.254) inside an IPv6 one"),
        ("::10.0.0.1", "private address (10.0.0.1) inside"),
        ("64:ff9b::127.0.0.1", "loopback address (127.0.0.1) inside"),
        ("2002:0a00:0001::", "private address (10.0.0.1) inside"),
        ("2002:a9fe:a9fe::1", "link-local address (169.254.169.254) inside"),
    ],
)
def test_special_addresses_are_named(address, kind):
    assert kind in address_kind(ipaddress.ip_address(address))


@pytest.mark.parametrize(
    "address",
    ["8.8.8.8", "93.184.216.34", "100.63.255.255", "100.128.0.0", "172.32.0.1", "2606:4700:4700::1111",
     "::ffff:8.8.8.8", "64:ff9b::8.8.8.8", "2002:0808:0808::1"],
)  # fmt: skip
def test_public_addresses_and_ipv6_forms_of_them_pass(address):
    assert address_kind(ipaddress.ip_address(address)) is None


@pytest.mark.parametrize(
    "name",
    ["localhost", "foo.localhost", "localhost.localdomain", "ip6-localhost", "printer.local",
     "metadata.google.internal", "router.home.arpa", "redis", "intranet"],
)  # fmt: skip
def test_local_names_are_named_without_resolving_them(name):
    assert name_kind(name)


def test_public_names_are_not_judged_by_their_name():
    assert name_kind("news.example.com") is None and name_kind("localhost.example.com") is None


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("http://127.0.0.1\\@news.example/a.png", "127.0.0.1"),
        ("ht\ttp://loc\nalhost/a.png", "localhost"),
        ("  https://[::1]:8080/a.png", "::1"),
        ("http://user:pw@2130706433/a.png", "127.0.0.1"),
        ("https://cdn.example.com/a.jpg", "cdn.example.com"),
    ],
)
def test_a_urls_host_is_read_as_a_browser_reads_it(url, host):
    assert url_host(url).name == host


@given(st.integers(min_value=0, max_value=2**32 - 1))
def test_any_ipv4_address_written_as_one_number_in_any_base_is_itself(value):
    address = ipaddress.IPv4Address(value)
    for spelling in (str(value), hex(value), f"0{value:o}" if value else "0"):
        assert host_parse(spelling).address == address
    assert host_kind(host_parse(hex(value))) == address_kind(address)


@given(st.integers(min_value=0, max_value=2**24 - 1), st.sampled_from(["dec", "hex", "oct"]))
def test_every_loopback_address_is_loopback_whichever_way_it_is_written(low, base):
    address = ipaddress.IPv4Address((127 << 24) + low)
    write = {"dec": str, "hex": hex, "oct": lambda n: f"0{n:o}"}[base]
    spelling = f"{write(127)}.{write(low)}"
    assert host_parse(spelling).address == address
    assert host_kind(host_parse(spelling)) == "a loopback address"
