"""A hostile corpus, built in code: pages made to cost a worker as much time and memory as they can.

Each entry is a name and a function that builds the bytes (a few megabytes at most, under
EXTRACTION_MAX_BYTES), so importing the module costs nothing and the repository stays small.
Shared by the pure tests of the caps (tests/articles/extraction/test_hostile.py) and the run
through a real worker (tests/articles/test_hostile_worker.py).
"""

from __future__ import annotations

import gzip
import io
import random
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from tests.articles.extraction.bad_pages import ENGLISH_PARAGRAPHS, article_html, distinct_paragraphs

MB = 1024 * 1024
STORY = " ".join(ENGLISH_PARAGRAPHS)


@dataclass(frozen=True)
class HostilePage:
    name: str
    build: Callable[[], bytes]
    content_type: str = ""


def _page(body: str, *, head: str = "", title: str = "Budget talks resume") -> bytes:
    """A page with ``body`` inside its article, after one real paragraph."""
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>{head}</head>'
        f"<body><main><article><h1>{title}</h1><p>{STORY}</p>{body}</article></main></body></html>"
    ).encode("utf-8", "surrogatepass")


def _words(count: int, seed: int = 1) -> list[str]:
    rnd = random.Random(seed)
    letters = "abcdefghijklmnopqrstuvwxyz"
    return ["".join(rnd.choice(letters) for _ in range(rnd.randint(4, 10))) for _ in range(count)]


def _attribute_flood(count: int, *, values: bool = False) -> bytes:
    attributes = " ".join(f'a{i}="{i}"' if values else f"a{i}" for i in range(count))
    return _page(f"<p {attributes}>{STORY}</p>")


def _attributes_across_elements(elements: int, per_element: int) -> bytes:
    attributes = " ".join(f"d{i}" for i in range(per_element))
    return _page("".join(f"<span {attributes}>x</span>" for _ in range(elements)))


def _attributes_behind_quoted_brackets(count: int) -> bytes:
    # A ">" inside quotes does not close the tag: a scanner that thinks it does undercounts.
    attributes = " ".join(f'a{i} t{i}=">"' for i in range(count))
    return _page(f"<p {attributes}>{STORY}</p>")


def _unclosed_quotes(count: int) -> bytes:
    return _page("<p " + " ".join(f'a{i}="' for i in range(count)) + f">{STORY}</p>")


def _nested(tag: str, levels: int, close: bool = True) -> bytes:
    inner = f"<{tag}>" * levels + f"<p>{STORY}</p>" + (f"</{tag}>" * levels if close else "")
    return _page(inner)


def _nested_tables(levels: int) -> bytes:
    return _page("<table><tr><td>" * levels + STORY + "</td></tr></table>" * levels)


def _huge_table(rows: int, cells: int) -> bytes:
    row = "<tr>" + "".join(f"<td>{c}</td>" for c in range(cells)) + "</tr>"
    return _page(f"<table>{row * rows}</table>")


def _huge_word(size: int, *, capital: bool = False) -> bytes:
    word = ("A" if capital else "") + "b" * size
    return _page(f"<p>The minister said Iraqi officials met. {word} was written.</p>")


def _numbered_lines(count: int) -> bytes:
    lines = "\n".join(f"{i}. item {i * 7919 % 1000003}" for i in range(1, count + 1))
    return f"Numbered list\n\n{lines}\n".encode()


def _distinct_words(size: int) -> bytes:
    words, total, seed = [], 0, 1
    while total < size:
        batch = _words(10_000, seed)
        words.extend(batch)
        total += sum(len(w) + 1 for w in batch)
        seed += 1
    return ("Word list\n\n" + " ".join(words)).encode()


def _hyphen_compounds(count: int) -> bytes:
    # Each "ab-cd" gives PostgreSQL's parser three lexemes: the worst ratio of index to text.
    rnd = random.Random(5)
    letters = "abcdefghijklmnopqrstuvwxyz"
    words = ("-".join("".join(rnd.choice(letters) for _ in range(2)) for _ in range(3)) for _ in range(count))
    return ("Compounds\n\n" + " ".join(words)).encode()


def _entity_flood(size: int) -> bytes:
    sentence = (
        "President Emmanuel Macron met Chancellor Angela Merkel and Vladimir Putin in Paris, France, "
        "with the United Nations, NATO and the European Union, said Reuters. "
    )
    return _page("".join(f"<p>{sentence * 20}</p>" for _ in range(size // (len(sentence) * 20))))


def _name_flood(size: int) -> bytes:
    rnd = random.Random(9)
    names = [w.capitalize() for w in _words(20_000, 11)]
    text = []
    total = 0
    while total < size:
        sentence = (
            "Officials said " + " ".join(rnd.choice(names) for _ in range(3)) + " met " + rnd.choice(names)
        )
        text.append(sentence + ". ")
        total += len(sentence) + 2
    return ("Names\n\n" + "".join(text)).encode()


def _repeated(fragment: str, size: int, *, html: bool = True) -> bytes:
    text = fragment * (size // len(fragment))
    return _page(text) if html else ("Title\n\n" + text).encode("utf-8", "surrogatepass")


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("page.html", b"\0" * (64 * MB))
    return buffer.getvalue()


def _json_ld_nesting(levels: int) -> bytes:
    return _page("", head='<script type="application/ld+json">' + "[" * levels + "]" * levels + "</script>")


def _json_ld_body(size: int) -> bytes:
    body = "word " * (size // 5)
    return _page(
        "",
        head='<script type="application/ld+json">{"@type":"NewsArticle","headline":"Budget",'
        f'"articleBody":"{body}"}}</script>',
    )


def _utf16(encoding: str, bom: bytes = b"") -> bytes:
    return bom + article_html(ENGLISH_PARAGRAPHS, charset=None).encode(encoding)


def _invalid_utf8(size: int) -> bytes:
    rnd = random.Random(4)
    story = STORY.encode()
    out = bytearray()
    while len(out) < size:
        out += story + bytes(rnd.randrange(0x80, 0x100) for _ in range(40))
    return bytes(out)


HOSTILE_PAGES: list[HostilePage] = [
    # Attribute floods: libxml2 compares each attribute with every earlier one of its element.
    HostilePage("attributes-200k-one-element", lambda: _attribute_flood(200_000)),
    HostilePage("attributes-100k-with-values", lambda: _attribute_flood(100_000, values=True)),
    HostilePage("attributes-200k-same-name", lambda: _page("<p " + "a " * 200_000 + f">{STORY}</p>")),
    HostilePage("attributes-300-on-1k-elements", lambda: _attributes_across_elements(1_000, 300)),
    HostilePage("attributes-300-on-3k-elements", lambda: _attributes_across_elements(3_000, 300)),
    HostilePage("attributes-behind-quoted-brackets", lambda: _attributes_behind_quoted_brackets(60_000)),
    HostilePage("attributes-unclosed-quotes", lambda: _unclosed_quotes(100_000)),
    HostilePage("attributes-slash-separated", lambda: _page("<p " + "/a" * 200_000 + f">{STORY}</p>")),
    # Nesting and element floods.
    HostilePage("nesting-1k-div", lambda: _nested("div", 1_000)),
    HostilePage("nesting-100k-div", lambda: _nested("div", 100_000)),
    HostilePage("nesting-100k-unclosed-b", lambda: _nested("b", 100_000, close=False)),
    HostilePage("nesting-5k-tables", lambda: _nested_tables(5_000)),
    HostilePage("elements-1m-br", lambda: _page("<br>" * 1_000_000)),
    HostilePage("elements-300k-empty-span", lambda: _page("<span></span>" * 300_000)),
    HostilePage("table-40k-rows", lambda: _huge_table(40_000, 5)),
    HostilePage("list-200k-items", lambda: _page("<ul>" + "<li>item</li>" * 200_000 + "</ul>")),
    HostilePage("svg-200k-paths", lambda: _page("<svg>" + "<path d='M0 0h1'/>" * 200_000 + "</svg>")),
    HostilePage(
        "links-100k", lambda: _page("".join(f'<a href="/s/{i}">story {i}</a> ' for i in range(100_000)))
    ),
    HostilePage(
        "meta-50k",
        lambda: _page("", head="".join(f'<meta name="m{i}" content="v{i}">' for i in range(50_000))),
    ),
    # Huge words: the glued-word splitter, the tokenizers and the search index.
    HostilePage("word-4mb-html", lambda: _huge_word(4 * MB)),
    HostilePage("word-4mb-capitalised", lambda: _huge_word(4 * MB, capital=True)),
    HostilePage("word-4mb-text", lambda: b"Title\n\n" + b"x" * (4 * MB)),
    HostilePage("camel-seams-2mb", lambda: _repeated("saidTuesday", 2 * MB, html=False)),
    HostilePage("digits-4mb", lambda: b"Title\n\n" + b"7" * (4 * MB)),
    # The search index: PostgreSQL's tsvector holds at most 1 MB of lexemes and positions.
    HostilePage("numbered-lines-180k", lambda: _numbered_lines(180_000)),
    HostilePage("distinct-words-4mb", lambda: _distinct_words(4 * MB)),
    HostilePage("hyphen-compounds-500k", lambda: _hyphen_compounds(500_000)),
    # Tagging: names everywhere.
    HostilePage("entity-names-4mb", lambda: _entity_flood(4 * MB)),
    HostilePage("capitalised-names-4mb", lambda: _name_flood(4 * MB)),
    HostilePage("same-paragraph-100k", lambda: _page(f"<p>{ENGLISH_PARAGRAPHS[0]}</p>" * 15_000)),
    HostilePage(
        "distinct-paragraphs-20k", lambda: _page("".join(f"<p>{p}</p>" for p in distinct_paragraphs(20_000)))
    ),
    # Character references, comments, CDATA, scripts, styles.
    HostilePage("entity-refs-1m", lambda: _page("<p>" + "&amp;" * 800_000 + "</p>")),
    HostilePage("numeric-refs-500k", lambda: _page("<p>" + "&#x41;" * 600_000 + "</p>")),
    HostilePage("unknown-refs-500k", lambda: _page("<p>" + "&bogus;" * 500_000 + "</p>")),
    HostilePage("comment-4mb", lambda: _page("<!--" + "x" * (4 * MB) + "-->")),
    HostilePage("comment-unclosed", lambda: _page("<!--" + "<p>hidden</p>" * 250_000)),
    HostilePage("cdata-4mb", lambda: _page("<![CDATA[" + "x" * (4 * MB) + "]]>")),
    HostilePage("script-4mb", lambda: _page("<script>var a='" + "<p a b c>" * 400_000 + "';</script>")),
    HostilePage("style-4mb", lambda: _page("<style>" + "p{color:red}" * 350_000 + "</style>")),
    HostilePage("json-ld-100k-deep", lambda: _json_ld_nesting(100_000)),
    HostilePage("json-ld-body-4mb", lambda: _json_ld_body(4 * MB)),
    HostilePage("title-2mb", lambda: _page("", title="Budget " * 300_000)),
    # Unicode oddities.
    HostilePage("combining-marks-1m", lambda: _repeated("a\u0301\u0302\u0303", 1_000_000)),
    HostilePage("rtl-overrides", lambda: _repeated("\u202eReuters\u202c said \u2067PARIS\u2069 ", 1_000_000)),
    HostilePage("zero-width-between-letters", lambda: _repeated("w\u200bo\u200br\u200bd\u200d ", 1_000_000)),
    HostilePage("lone-surrogates", lambda: _repeated("ab\udc80cd ", 400_000)),
    HostilePage("nul-bytes-many", lambda: _page("\0" * 10_000)),
    HostilePage("nul-bytes-few", lambda: _page("<p>stray\0nul</p>" * 3)),
    HostilePage("control-characters", lambda: _repeated("\x01\x02\x1b[31m", 1_000_000)),
    HostilePage("invalid-utf8-3mb", lambda: _invalid_utf8(3 * MB)),
    HostilePage("utf16-le-bom", lambda: _utf16("utf-16-le", b"\xff\xfe")),
    HostilePage("utf16-be-no-bom", lambda: _utf16("utf-16-be")),
    HostilePage("utf32-bom", lambda: _utf16("utf-32-le", b"\xff\xfe\x00\x00")),
    HostilePage("bom-then-binary", lambda: b"\xef\xbb\xbf" + random.Random(2).randbytes(MB)),
    HostilePage("charset-bogus-declared", lambda: _page("", head='<meta charset="' + "x" * 100_000 + '">')),
    # Compressed, binary, empty.
    HostilePage("gzip-bomb", lambda: gzip.compress(b"<p>" + b"a" * (100 * MB), compresslevel=9)),
    HostilePage("zip-bomb", _zip_bomb),
    HostilePage("gzip-labelled-html", lambda: gzip.compress(_page("")), "text/html"),
    HostilePage("random-binary-1mb", lambda: random.Random(1).randbytes(MB)),
    HostilePage("empty", lambda: b""),
    HostilePage("whitespace-only", lambda: b" \n\t\r " * 100_000),
    HostilePage("markup-only", lambda: b"<html><body>" + b"<div></div>" * 1000 + b"</body></html>"),
    HostilePage("over-size-limit", lambda: b"<p>" + b"a " * (3 * MB)),
    # Pathological input for the dateline, credit and byline patterns.
    HostilePage("dateline-spaces", lambda: ("PARIS" + " " * (3 * MB) + "x\n\n" + STORY).encode()),
    HostilePage("dateline-open-parens", lambda: ("Title\n\nPARIS (" + "(" * (2 * MB) + STORY).encode()),
    HostilePage("dateline-caps-words", lambda: ("Title\n\n" + "PARIS " * 500_000 + "- " + STORY).encode()),
    HostilePage("credit-repeated", lambda: ("Title\n\n" + STORY + " (Reuters" * 300_000).encode()),
    HostilePage(
        "byline-and-flood", lambda: ("Title\n\nBy " + "John and " * 300_000 + "\n\n" + STORY).encode()
    ),
    HostilePage(
        "whitespace-run-then-bang", lambda: ("Title\n\n" + STORY + " word" + " " * (3 * MB) + "!").encode()
    ),
    HostilePage("sentence-dots-4mb", lambda: ("Title\n\n" + STORY + "." * (4 * MB)).encode()),
    HostilePage("quote-marks-flood", lambda: ("Title\n\n" + STORY + " ." + "'" * (3 * MB) + "x").encode()),
    HostilePage("separators-flood", lambda: ("Title\n\n" + STORY + "\n\n" + " |" * MB + " x").encode()),
]
