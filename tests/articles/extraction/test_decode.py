"""Decoding page bytes: byte-order marks, declared charsets, detection, and wrong declarations."""

import pytest

from articles.extraction import extract
from articles.extraction.decode import decode

FRENCH = (
    "Le président français a déclaré dimanche que la France était prête à frapper de nouveau. "
    "« C’est une décision grave », a-t-il ajouté — selon l’AFP, les frappes ont visé un camp près de Deir Ezzor."
)
ARABIC = (
    "قال الرئيس الفرنسي فرانسوا هولاند إن ست طائرات حربية فرنسية شاركت في العملية لضرب معسكر تدريب "
    "لتنظيم الدولة الإسلامية قرب مدينة دير الزور في شرق سوريا، وإن ضربات أخرى قد تتبع في الأسابيع المقبلة."
)
GERMAN = "Größere Städte sind teurer, sagte der Bürgermeister von Zürich am Montag."


def page(body: str, charset: str | None) -> str:
    meta = f'<meta charset="{charset}">' if charset else ""
    return f"<html><head>{meta}<title>t</title></head><body><p>{body}</p></body></html>"


@pytest.mark.parametrize(
    ("text", "codec", "label", "encoding"),
    [
        (FRENCH, "cp1252", "windows-1252", "windows-1252"),
        (ARABIC, "cp1256", "windows-1256", "windows-1256"),
        # As browsers do, a page labelled ISO-8859-1 is read as its superset windows-1252.
        (GERMAN, "latin-1", "ISO-8859-1", "windows-1252"),
        (FRENCH, "utf-8", "utf-8", "utf-8"),
    ],
)
def test_the_meta_charset_is_used(text, codec, label, encoding):
    decoded = decode(page(text, label).encode(codec))
    assert text in decoded.text
    assert decoded.encoding == encoding
    assert decoded.warnings == []


def test_the_http_content_type_charset_comes_first():
    data = page(ARABIC, None).encode("cp1256")
    decoded = decode(data, content_type="text/html; charset=windows-1256")
    assert ARABIC in decoded.text
    assert decoded.encoding == "windows-1256"


def test_an_http_equiv_declaration_is_read():
    html = f'<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1256"></head><body>{ARABIC}</body></html>'
    assert decode(html.encode("cp1256")).encoding == "windows-1256"


@pytest.mark.parametrize(
    ("text", "codec", "encoding"),
    [
        (FRENCH, "cp1252", "windows-1252"),
        (GERMAN, "cp1252", "windows-1252"),
        (ARABIC, "cp1256", "windows-1256"),
    ],
)
def test_undeclared_charsets_are_detected(text, codec, encoding):
    decoded = decode(text.encode(codec))
    assert decoded.text == text
    assert decoded.encoding == encoding


def test_a_utf8_bom_is_honoured_and_dropped():
    decoded = decode(b"\xef\xbb\xbf" + FRENCH.encode("utf-8"))
    assert decoded.text == FRENCH
    assert decoded.encoding == "utf-8"


@pytest.mark.parametrize(("codec", "bom"), [("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff")])
def test_utf16_with_a_bom_is_decoded(codec, bom):
    decoded = decode(bom + FRENCH.encode(codec))
    assert decoded.text == FRENCH
    assert decoded.encoding == codec


def test_a_page_declared_utf8_but_written_in_windows_1252_is_still_read():
    decoded = decode(page(FRENCH, "utf-8").encode("cp1252"))
    assert FRENCH in decoded.text
    assert decoded.encoding == "windows-1252"
    assert decoded.warnings and "utf-8" in decoded.warnings[0]


def test_a_page_declared_latin1_but_written_in_utf8_is_read_as_utf8():
    decoded = decode(page(ARABIC, "iso-8859-1").encode("utf-8"))
    assert ARABIC in decoded.text
    assert decoded.encoding == "utf-8"
    assert "UTF-8" in decoded.warnings[0]


def test_an_unknown_charset_label_is_ignored_with_a_warning():
    decoded = decode(page(FRENCH, "x-no-such-charset").encode("utf-8"))
    assert FRENCH in decoded.text
    assert "x-no-such-charset" in decoded.warnings[0]


def test_plain_ascii_reports_its_declared_charset():
    assert decode(page("plain", "utf-8").encode()).encoding == "utf-8"
    assert decode(b"plain text").encoding == "ascii"


def test_extract_reports_the_encoding_and_reads_arabic_text():
    data = ("عنوان الخبر\n\n" + ARABIC + "\n\n" + ARABIC.replace("قال", "أضاف")).encode("cp1256")
    result = extract(data, content_type="text/plain; charset=windows-1256")
    assert result.headline == "عنوان الخبر"
    assert result.paragraphs[0] == ARABIC
    assert result.encoding == "windows-1256"
