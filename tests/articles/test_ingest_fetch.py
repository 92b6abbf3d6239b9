"""Ingest through the safe fetcher and the size cap: ``manage.py ingest``, the admin form, ``extract``, ``tag``."""

import io
import json
import sys
import time
import tracemalloc

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.urls import reverse

from articles import services
from articles.models import RawDocument
from tests.factories import user_with_permissions
from tests.web_server import PAGE

STORY = b"""Oil prices climb as OPEC keeps output steady

KUWAIT CITY, Oct 5 (KUNA) -- Oil prices rose on Monday after OPEC members said they would keep \
output steady at their next meeting, Kuwait's oil minister said.
"""


def run(command, *args) -> str:
    out = io.StringIO()
    try:
        call_command(command, *args, stdout=out)
    except CommandError as exc:
        raise CommandError(f"{exc}\n{out.getvalue()}") from exc
    return out.getvalue()


@pytest.mark.django_db
def test_ingest_refuses_the_admin_page_on_loopback_and_stores_nothing(local_web):
    url = local_web.url("/admin/")

    with pytest.raises(CommandError) as failed:
        run("ingest", url, "--no-progress")

    assert f"{url}: will not fetch {url}: 127.0.0.1 is a loopback address" in str(failed.value)
    assert "1 source(s) could not be read" in str(failed.value)
    assert local_web.seen == []
    assert not RawDocument.objects.exists()


@pytest.mark.django_db
def test_ingest_refuses_a_redirect_to_loopback_from_a_trusted_source(settings, local_web):
    settings.FETCH_TRUSTED_SOURCES = ["127.0.0.1"]
    redirect = local_web.url(f"/hop/2?to=http://localhost:{local_web.port}/admin/")

    with pytest.raises(
        CommandError, match=r"redirect 3 to http://localhost:\d+/admin/: localhost is a local name"
    ):
        run("ingest", redirect, "--no-progress")
    assert not RawDocument.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_trusted_local_source_is_ingested_as_a_url(trusted_loopback, local_web):
    url = local_web.url("/page")

    output = run("ingest", url, "--no-progress")

    assert "ingested 1" in output
    raw = RawDocument.objects.get()
    assert raw.content_bytes == PAGE
    assert raw.source == url and raw.source_kind == RawDocument.SourceKind.URL
    assert raw.content_type == "text/html; charset=utf-8"


@pytest.mark.django_db
def test_the_fetch_timeout_bounds_the_whole_download(settings, trusted_loopback, local_web):
    settings.INGEST_FETCH_TIMEOUT = 1
    started = time.monotonic()

    with pytest.raises(CommandError, match="the download took longer than the 1 s limit"):
        run("ingest", local_web.url("/drip"), "--no-progress")

    assert time.monotonic() - started < 3
    assert not RawDocument.objects.exists()


@pytest.mark.django_db
def test_a_fetched_page_over_the_ingest_cap_is_refused_while_streaming(settings, trusted_loopback, local_web):
    settings.INGEST_MAX_BYTES = 200_000

    with pytest.raises(CommandError, match="over the 200,000-byte limit"):
        run("ingest", local_web.url("/endless"), "--no-progress")
    assert not RawDocument.objects.exists()


def test_a_malformed_trust_list_is_a_configuration_error(settings):
    settings.FETCH_TRUSTED_SOURCES = ["wire.internal:8080"]

    with pytest.raises(
        ImproperlyConfigured, match=r"FETCH_TRUSTED_SOURCES: 'wire\.internal:8080' is neither"
    ):
        services.ingest_fetch_policy()


@pytest.mark.django_db
def test_ingest_of_dev_zero_reads_one_byte_over_the_cap_and_stops(settings):
    settings.INGEST_MAX_BYTES = 2_000_000
    tracemalloc.start()
    started = time.monotonic()
    try:
        with pytest.raises(CommandError) as failed:
            run("ingest", "/dev/zero", "--no-progress")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert "/dev/zero: /dev/zero is over the 2,000,000-byte limit" in str(failed.value)
    assert time.monotonic() - started < 10
    assert peak < 3 * 2_000_000
    assert not RawDocument.objects.exists()


@pytest.mark.django_db
def test_standard_input_is_read_through_the_cap(settings, monkeypatch):
    settings.INGEST_MAX_BYTES = 1_000_000
    with open("/dev/zero", "rb") as zeros:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(zeros))
        with pytest.raises(CommandError, match="-: standard input is over the 1,000,000-byte limit"):
            run("ingest", "-", "--no-progress")
    assert not RawDocument.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_page_on_standard_input_is_stored(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(STORY)))

    assert "ingested 1" in run("ingest", "-", "--no-progress")
    assert RawDocument.objects.get().content_bytes == STORY


@pytest.mark.django_db
def test_extract_and_tag_read_files_through_the_cap(settings):
    settings.INGEST_MAX_BYTES = 1_000_000
    for command in ("extract", "tag"):
        with pytest.raises(CommandError, match="1 of 1 files could not be"):
            out = io.StringIO()
            try:
                call_command(
                    command, "/dev/zero", stdout=out, **({"no_model": True} if command == "tag" else {})
                )
            finally:
                report = json.loads(out.getvalue())
        assert report == {"source": "/dev/zero", "error": "/dev/zero is over the 1,000,000-byte limit."}


@pytest.mark.django_db(transaction=True)
def test_the_admin_form_shows_a_refused_url_with_its_reason(client, local_web):
    client.force_login(user_with_permissions("articles.add_rawdocument", is_staff=True))
    urls = "\n".join([local_web.url("/admin/"), "http://169.254.169.254/latest/meta-data/"])

    html = client.post(reverse("admin:articles_rawdocument_ingest"), {"urls": urls}).content.decode()

    assert f"refused: will not fetch {local_web.url('/admin/')}: 127.0.0.1 is a loopback address" in html
    assert "169.254.169.254 is a link-local address" in html
    assert local_web.seen == []
    assert not RawDocument.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_an_admin_upload_over_the_cap_is_refused_without_being_stored(client, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.INGEST_MAX_BYTES = 1000
    client.force_login(user_with_permissions("articles.add_rawdocument", is_staff=True))
    upload = SimpleUploadedFile("big.txt", b"a" * 5000, content_type="text/plain")

    html = client.post(reverse("admin:articles_rawdocument_ingest"), {"files": [upload]}).content.decode()

    assert "refused: big.txt is over the 1,000-byte limit" in html
    assert not RawDocument.objects.exists()


def test_a_malformed_trust_list_fails_the_system_check(settings):
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    settings.FETCH_TRUSTED_SOURCES = ["10.0.0.0/8", "10.0.0.0/33"]

    with pytest.raises(SystemCheckError, match=r"articles\.E001.*'10\.0\.0\.0/33' is neither"):
        call_command("check")
    settings.FETCH_TRUSTED_SOURCES = ["10.0.0.0/8", "wire.internal", ".agency.lan"]
    call_command("check")
