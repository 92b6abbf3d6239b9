"""The safe fetcher against real servers on 127.0.0.1: every refused spelling, redirect, slow and big page."""

import ipaddress
import shutil
import ssl
import subprocess
import time

import pytest

from articles.fetcher import FetchError, FetchPolicy, FetchRefused, TrustedSources, fetch
from tests.web_server import PAGE, LocalWebServer

LOOPBACK = TrustedSources.parse(["127.0.0.1"])
# A name for the local server that the policy trusts by name only: its address stays refused
# whenever another name or a literal leads there.
NEWS = "news.test"


def policy(**changes) -> FetchPolicy:
    return FetchPolicy(**{"timeout": 5.0, "max_bytes": 1_000_000, **changes})


def news_resolver(name, port, timeout):
    """Resolves ``news.test`` to the local server; the test's own DNS, as /etc/hosts would be."""
    assert name == NEWS, f"nothing else is looked up ({name})"
    return [ipaddress.ip_address("127.0.0.1")]


TRUSTS_NEWS = TrustedSources.parse([NEWS])


@pytest.fixture(scope="module")
def web():
    web = LocalWebServer()
    yield web
    web.close()


@pytest.fixture
def server(web):
    web.seen.clear()
    return web


def test_a_page_on_a_trusted_local_server_is_fetched_with_its_content_type(server):
    page = fetch(server.url("/page"), policy=policy(trusted=LOOPBACK))

    assert page.content == PAGE
    assert page.content_type == "text/html; charset=utf-8"
    assert page.redirects == ()


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1",
        "localhost",
        "LOCALHOST",
        "localhost.",
        "foo.localhost",
        "ⓛocalhost",
        "[::1]",
        "0.0.0.0",
        "0",
        "2130706433",
        "127.1",
        "127.0.1",
        "0x7f.1",
        "0x7f000001",
        "0177.0.0.1",
        "0x7f.0x0.0x0.0x1",
        "127.0.0.1.",
        "%31%32%37.0.0.1",
        "１２７.０.０.１",
        "127。0。0。1",
        "[::ffff:127.0.0.1]",
        "[::ffff:7f00:1]",
        "[::127.0.0.1]",
        "[64:ff9b::7f00:1]",
        "[2002:7f00:1::]",
        "[0:0:0:0:0:0:0:1]",
        "[::]",
        "user:pass@127.0.0.1",
    ],
)
def test_every_spelling_of_loopback_is_refused_before_anything_is_sent(server, host):
    url = f"http://{host}:{server.port}/admin/"

    with pytest.raises(FetchRefused) as refused:
        fetch(url, policy=policy())

    assert server.seen == []
    assert str(refused.value).startswith(f"will not fetch {url}: ")
    assert (
        "loopback" in refused.value.reason
        or "unspecified" in refused.value.reason
        or "local name" in (refused.value.reason)
    )


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://127.0.0.1:6379/", "127.0.0.1 is a loopback address"),
        ("http://localhost:5432/", "localhost is a local name"),
        ("http://[::1]:6379/", "[::1] is a loopback address"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local address"),
        ("http://[fd00:ec2::254]/latest/meta-data/", "is a private (unique local) address"),
        ("http://10.0.0.1/", "10.0.0.1 is a private address"),
        ("http://172.16.5.4/", "is a private address"),
        ("http://192.168.1.1/", "is a private address"),
        ("http://100.64.0.1/", "shared (carrier-grade NAT)"),
        ("http://224.0.0.1/", "multicast"),
        ("http://[ff02::1]/", "multicast"),
        ("http://240.0.0.1/", "reserved"),
        ("http://255.255.255.255/", "reserved"),
        ("http://[fe80::1]/", "link-local"),
        ("http://[::ffff:169.254.169.254]/", "link-local address (169.254.169.254) inside an IPv6 one"),
        ("http://[64:ff9b::a9fe:a9fe]/", "link-local address (169.254.169.254) inside an IPv6 one"),
        ("http://[2002:c0a8:101::1]/", "private address (192.168.1.1) inside an IPv6 one"),
        ("http://metadata.google.internal/", "a local name"),
        ("http://redis/", "single-label"),
        ("http://printer.local/", "a local name"),
    ],
)
def test_service_ports_private_and_metadata_addresses_are_refused_with_the_reason(url, reason):
    with pytest.raises(FetchRefused) as refused:
        fetch(url, policy=policy())

    assert reason in refused.value.reason


@pytest.mark.parametrize(
    "url",
    [
        "ftp://127.0.0.1/",
        "file:///etc/passwd",
        "gopher://127.0.0.1:6379/_INFO",
        "javascript:alert(1)",
        "//x/",
    ],
)
def test_only_http_and_https_are_fetched(url):
    with pytest.raises(FetchRefused, match="only http and https"):
        fetch(url, policy=policy(trusted=LOOPBACK))


@pytest.mark.parametrize("hops", [1, 2, 3, 4, 5])
@pytest.mark.parametrize("final", ["127.0.0.1", "localhost", "[::ffff:127.0.0.1]", "2130706433"])
def test_a_redirect_chain_to_loopback_is_refused_at_the_hop_that_leaves(server, hops, final):
    target = f"http://{final}:{server.port}/page"

    with pytest.raises(FetchRefused) as refused:
        fetch(
            server.url(f"/hop/{hops - 1}?to={target}", host=NEWS),
            policy=policy(trusted=TRUSTS_NEWS),
            resolver=news_resolver,
        )

    assert f"redirect {hops} to {target}" in refused.value.reason
    assert [seen.path for seen in server.seen if seen.path == "/page"] == []
    assert len(server.seen) == hops


def test_redirects_are_followed_up_to_the_limit_and_no_further(server):
    end = server.url("/page", host=NEWS)
    five = fetch(
        server.url(f"/hop/4?to={end}", host=NEWS), policy=policy(trusted=TRUSTS_NEWS), resolver=news_resolver
    )
    assert five.content == PAGE
    assert len(five.redirects) == 5 and five.url == end

    with pytest.raises(FetchError, match="more than 5 redirects"):
        fetch(
            server.url(f"/hop/5?to={end}", host=NEWS),
            policy=policy(trusted=TRUSTS_NEWS),
            resolver=news_resolver,
        )
    with pytest.raises(FetchError, match="more than 2 redirects"):
        fetch(
            server.url(f"/hop/4?to={end}", host=NEWS),
            policy=policy(trusted=TRUSTS_NEWS, max_redirects=2),
            resolver=news_resolver,
        )


def test_a_name_that_resolves_to_any_private_address_is_refused_without_connecting():
    def mixed(name, port, timeout):
        return [ipaddress.ip_address("93.184.216.34"), ipaddress.ip_address("10.1.2.3")]

    with pytest.raises(FetchRefused, match=r"rebind\.example resolves to 10\.1\.2\.3, a private address"):
        fetch("http://rebind.example/", policy=policy(), resolver=mixed)


def test_the_name_is_resolved_once_and_the_checked_address_is_the_one_connected(server):
    answers = [[ipaddress.ip_address("127.0.0.1")], [ipaddress.ip_address("10.9.9.9")]]

    def rebinding(name, port, timeout):
        return answers.pop(0)

    page = fetch(
        server.url("/page", host="rebind.example"), policy=policy(trusted=LOOPBACK), resolver=rebinding
    )

    assert page.content == PAGE
    assert len(answers) == 1  # looked up once
    assert server.seen[0].host == f"rebind.example:{server.port}"  # the name, not the address


def test_a_trusted_network_lets_any_name_through_to_it_but_not_elsewhere(server):
    trusted = TrustedSources.parse(["127.0.0.0/8"])

    assert fetch(server.url("/page", host="2130706433"), policy=policy(trusted=trusted)).content == PAGE
    with pytest.raises(FetchRefused, match="link-local"):
        fetch("http://169.254.169.254/", policy=policy(trusted=trusted))


def test_a_slow_drip_body_is_cut_at_the_total_deadline(server):
    started = time.monotonic()

    with pytest.raises(FetchError, match="longer than the 1 s limit"):
        fetch(server.url("/drip"), policy=policy(timeout=1.0, trusted=LOOPBACK))

    assert time.monotonic() - started < 2.0


def test_slow_drip_headers_are_cut_at_the_total_deadline(server):
    started = time.monotonic()

    with pytest.raises(FetchError, match="longer than the 1 s limit"):
        fetch(server.url("/drip-headers"), policy=policy(timeout=1.0, trusted=LOOPBACK))

    assert time.monotonic() - started < 2.0


def test_a_server_that_never_answers_is_given_up_at_the_deadline(server):
    started = time.monotonic()

    with pytest.raises(FetchError, match="longer than the 1 s limit"):
        fetch(server.url("/silent"), policy=policy(timeout=1.0, trusted=LOOPBACK))

    assert time.monotonic() - started < 2.0


def test_the_deadline_covers_a_whole_redirect_chain(server):
    started = time.monotonic()
    end = server.url("/drip", host=NEWS)

    with pytest.raises(FetchError, match=r"longer than the 1\.5 s limit"):
        fetch(
            server.url(f"/hop/3?to={end}", host=NEWS),
            policy=policy(timeout=1.5, trusted=TRUSTS_NEWS),
            resolver=news_resolver,
        )

    assert time.monotonic() - started < 2.5


def test_an_endless_page_is_cut_at_the_size_cap_while_streaming(server):
    started = time.monotonic()

    with pytest.raises(FetchError, match="over the 300,000-byte limit"):
        fetch(server.url("/endless"), policy=policy(max_bytes=300_000, trusted=LOOPBACK))

    assert time.monotonic() - started < 2.0


def test_a_declared_length_over_the_cap_is_refused_before_the_body_is_read(server):
    with pytest.raises(FetchError, match="10,737,418,240 bytes is over the 1,000,000-byte limit"):
        fetch(server.url("/declared-huge"), policy=policy(trusted=LOOPBACK))


def test_a_page_of_exactly_the_cap_is_fetched_and_one_byte_more_is_not(server):
    assert (
        len(fetch(server.url("/sized/1000"), policy=policy(max_bytes=1000, trusted=LOOPBACK)).content) == 1000
    )
    with pytest.raises(FetchError, match="over the 999-byte limit"):
        fetch(server.url("/sized/1000"), policy=policy(max_bytes=999, trusted=LOOPBACK))


def test_a_compressed_page_is_capped_on_its_decompressed_size(server):
    with pytest.raises(FetchError, match="over the 1,000,000-byte limit"):
        fetch(server.url("/gzip-bomb/50000000"), policy=policy(trusted=LOOPBACK))
    assert fetch(server.url("/gzip-bomb/5000"), policy=policy(trusted=LOOPBACK)).content == bytes(5000)


def test_an_error_status_is_reported(server):
    with pytest.raises(FetchError, match=r"could not fetch .*/status/503: HTTP 503"):
        fetch(server.url("/status/503"), policy=policy(trusted=LOOPBACK))


def test_trusted_sources_read_names_domains_and_networks():
    trusted = TrustedSources.parse(
        ["wire.internal", ".agency.lan", "10.20.0.0/16", "[::1]", "2130706433", " "]
    )

    assert trusted.trusts_name("wire.internal") and not trusted.trusts_name("x.wire.internal")
    assert trusted.trusts_name("agency.lan") and trusted.trusts_name("feeds.agency.lan")
    assert not trusted.trusts_name("evilagency.lan")
    for address in ("10.20.3.4", "::1", "127.0.0.1"):
        assert trusted.trusts_address(ipaddress.ip_address(address))
    assert not trusted.trusts_address(ipaddress.ip_address("10.21.0.1"))
    with pytest.raises(ValueError, match="neither a host name nor an IP network"):
        TrustedSources.parse(["10.0.0.0/33"])


# --- TLS: the checked address is connected, the name is what the certificate must match --------


@pytest.fixture(scope="module")
def certificates(tmp_path_factory):
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make test certificates")
    folder = tmp_path_factory.mktemp("tls")
    for name in (NEWS, "other.test"):
        subprocess.run(
            [
                "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                "-subj", f"/CN={name}", "-addext", f"subjectAltName=DNS:{name}",
                "-keyout", folder / f"{name}.key", "-out", folder / f"{name}.pem",
            ],
            check=True,
            capture_output=True,
        )  # fmt: skip
    return folder


def tls_server(certificates, name, names_seen):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certificates / f"{name}.pem", certificates / f"{name}.key")
    context.sni_callback = lambda sock, server_name, ctx: names_seen.append(server_name)
    return LocalWebServer(tls=context)


def test_https_sends_the_name_for_sni_and_checks_the_certificate_against_it(certificates):
    names_seen = []
    web = tls_server(certificates, NEWS, names_seen)
    client = ssl.create_default_context(cafile=certificates / f"{NEWS}.pem")
    try:
        page = fetch(
            web.url("/page", host=NEWS),
            policy=policy(trusted=TRUSTS_NEWS),
            resolver=news_resolver,
            ssl_context=client,
        )
    finally:
        web.close()

    assert page.content == PAGE
    assert names_seen == [NEWS]
    assert web.seen[0].host == f"{NEWS}:{web.port}"


def test_https_refuses_a_certificate_for_another_name(certificates):
    web = tls_server(certificates, "other.test", [])
    client = ssl.create_default_context(cafile=certificates / "other.test.pem")
    try:
        with pytest.raises(FetchError, match=r"(?i)certificate"):
            fetch(
                web.url("/page", host=NEWS),
                policy=policy(trusted=TRUSTS_NEWS),
                resolver=news_resolver,
                ssl_context=client,
            )
    finally:
        web.close()
    assert web.seen == []


# --- Conditional GET and Retry-After (what following a feed needs) --------------------------


def test_a_conditional_request_sends_the_validators_and_reads_304_as_not_modified(server):
    server.publish(
        "/feed", b"<rss/>", "application/rss+xml", etag='"7"', last_modified="Mon, 05 Oct 2015 10:00:00 GMT"
    )

    first = fetch(server.url("/feed"), policy=policy(trusted=LOOPBACK))
    again = fetch(server.url("/feed"), policy=policy(trusted=LOOPBACK), headers={"If-None-Match": first.etag})

    assert (first.status, first.content, first.etag) == (200, b"<rss/>", '"7"')
    assert first.last_modified == "Mon, 05 Oct 2015 10:00:00 GMT"
    assert again.not_modified and again.content == b""
    assert server.asked("/feed")[1].headers["If-None-Match"] == '"7"'


def test_a_304_without_a_conditional_request_is_an_error(server):
    with pytest.raises(FetchError, match="HTTP 304"):
        fetch(server.url("/status/304"), policy=policy(trusted=LOOPBACK))


@pytest.mark.parametrize("status", [429, 503])
def test_retry_after_is_read_from_a_429_or_503(server, status):
    server.publish(f"/busy-{status}", b"", status=status, headers={"Retry-After": "120"})

    with pytest.raises(FetchError) as failed:
        fetch(server.url(f"/busy-{status}"), policy=policy(trusted=LOOPBACK))

    assert (failed.value.status, failed.value.retry_after) == (status, 120.0)


def test_retry_after_as_an_http_date():
    from articles.fetcher import retry_after_seconds

    now = 1_444_039_200.0  # Mon, 05 Oct 2015 10:00:00 GMT
    assert retry_after_seconds("Mon, 05 Oct 2015 10:02:00 GMT", now=now) == 120.0
    assert retry_after_seconds("Mon, 05 Oct 2015 09:00:00 GMT", now=now) == 0.0
    assert retry_after_seconds("soon", now=now) is None
