"""The page a story came from, as the frame beside it shows it: marked, and with nothing that runs."""

import time

from articles.source_page import html_page, text_page


def test_a_text_page_strikes_the_removed_lines_and_escapes_the_rest():
    page = text_page("Talks <began>.\nRead 87 times\n", ["Read 87 times"])

    assert "Talks &lt;began&gt;." in page
    assert "<del>Read 87 times</del>" in page


def test_an_html_page_loses_everything_that_could_run_or_fetch():
    page = html_page(
        '<?xml version="1.0" encoding="utf-8"?><html><head><base href="http://127.0.0.1/">'
        '<meta http-equiv="refresh" content="0;url=http://127.0.0.1/"><script>alert(1)</script></head>'
        '<body><p onmouseover="alert(2)">Story text here.</p><a href="javascript:alert(3)">x</a>'
        '<iframe src="http://127.0.0.1:6379/"></iframe><form action="/admin/"><input></form></body></html>',
        removed=[],
        kept=["Story text here."],
    )

    for active in ("<script", "alert", "<base", "refresh", "<iframe", "<form", "javascript:"):
        assert active not in page
    assert '<p class="nr-kept">Story text here.</p>' in page


def test_a_passage_is_marked_on_the_innermost_element_that_holds_it_once_per_element():
    page = html_page(
        "<div><section><p>Read 87 times</p></section></div><div><p>Read 87 times</p></div>",
        removed=["Read 87 times"],
        kept=[],
    )

    assert page.count('<p class="nr-removed">Read 87 times</p>') == 2
    assert "<section class" not in page and "<div class" not in page


def test_a_stored_page_with_an_attribute_flood_is_shown_quickly_with_its_text():
    attributes = " ".join(f"a{i}" for i in range(200_000))
    page = f"<html><body><p {attributes}>The minister spoke on Tuesday.</p></body></html>"

    started = time.perf_counter()
    shown = html_page(page, removed=[], kept=["The minister spoke on Tuesday."])

    assert time.perf_counter() - started < 5
    assert "The minister spoke on Tuesday." in shown
    assert "a199999" not in shown
