"""``manage.py ingest``: files and directories in, a summary out, nothing lost."""

import io
import shutil

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article, RawDocument
from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.django_db(transaction=True)

STORY = """Oil prices climb as OPEC keeps output steady

KUWAIT CITY, Oct 5 (KUNA) -- Oil prices rose on Monday after OPEC members said they would keep \
output steady at their next meeting, Kuwait's oil minister said.

Brent crude gained more than one dollar a barrel in early trading in London.
"""


def run_ingest(*args):
    out = io.StringIO()
    call_command("ingest", *args, "--no-progress", stdout=out)
    return out.getvalue()


def test_a_directory_is_ingested_with_duplicates_and_failures_summarised(tmp_path):
    shutil.copy(REPO_ROOT / "fixtures" / "seed" / "page.txt", tmp_path / "seed.txt")
    (tmp_path / "nested").mkdir()
    (tmp_path / "nested" / "oil.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / "nested" / "copy-of-oil.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.4\n" + bytes(300))
    (tmp_path / ".hidden").write_text("ignored", encoding="utf-8")

    output = run_ingest(str(tmp_path), "--reference-date", "2015-10-06", "--agency", "KUNA")

    assert "ingested 3, duplicates 1, failed 1, no article 0, extracted 2, queued 0" in output
    assert "scan.pdf" in output
    assert RawDocument.objects.count() == 3
    assert Article.objects.count() == 2
    oil = Article.objects.get(headline__startswith="Oil prices climb")
    assert oil.agency.name == "KUNA"
    assert oil.published_at.date().isoformat() == "2015-10-05"
    assert RawDocument.objects.get(source__endswith="scan.pdf").status == "failed"


def test_an_unreadable_path_is_reported_and_the_command_fails(tmp_path):
    (tmp_path / "ok.txt").write_text(STORY, encoding="utf-8")

    with pytest.raises(CommandError, match="could not be read"):
        run_ingest(str(tmp_path / "ok.txt"), str(tmp_path / "missing.txt"))
    assert RawDocument.objects.count() == 1


def test_a_bad_reference_date_is_refused():
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        run_ingest("x.txt", "--reference-date", "27/09/2015")
