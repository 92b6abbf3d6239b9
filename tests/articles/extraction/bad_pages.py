"""Realistic bad input, built in code: wrong encodings, non-articles, huge and hostile pages.

Shared by the pure extraction tests (test_robustness.py) and the ingest tests
(tests/articles/test_robustness_ingest.py), so both judge the same bytes.
"""

import gzip
import json
import random

ARABIC_PARAGRAPHS = [
    "قال الرئيس الفرنسي فرانسوا هولاند إن ست طائرات حربية فرنسية شاركت في العملية لضرب معسكر تدريب "
    "لتنظيم الدولة الإسلامية قرب مدينة دير الزور في شرق سوريا، وإن ضربات أخرى قد تتبع في الأسابيع المقبلة.",
    "وأضاف الرئيس في مؤتمر صحفي على هامش اجتماعات الجمعية العامة للأمم المتحدة في نيويورك أن فرنسا "
    "لن ترسل قوات برية إلى سوريا، لكنها ستواصل دعم المعارضة المعتدلة وتدريبها.",
    "من جهته، قال وزير الدفاع إن الطائرات عادت إلى قواعدها بسلام بعد تنفيذ المهمة، مشيرا إلى أن المعلومات "
    "الاستخباراتية التي جمعت خلال أسبوعين من طلعات الاستطلاع سمحت بتحديد الأهداف بدقة.",
]
RUSSIAN_PARAGRAPHS = [
    "Президент заявил в среду, что правительство представит новый законопроект об экономике в следующем "
    "месяце, после нескольких недель переговоров с оппозицией и профсоюзами.",
    "По словам источников в министерстве финансов, документ предусматривает сокращение расходов и "
    "повышение налогов для крупных компаний, а также поддержку малого бизнеса в регионах.",
]
POLISH_PARAGRAPHS = [
    "Prezydent powiedział w środę, że rząd przedstawi nową ustawę o gospodarce w przyszłym miesiącu, po "
    "tygodniach rozmów z opozycją i związkami zawodowymi w sprawie cięć wydatków.",
    "Według źródeł w ministerstwie finansów projekt przewiduje podwyżki podatków dla dużych firm oraz "
    "wsparcie dla małych przedsiębiorstw w regionach, które najbardziej ucierpiały.",
]
GREEK_PARAGRAPHS = [
    "Ο πρωθυπουργός δήλωσε την Τρίτη ότι η κυβέρνηση θα παρουσιάσει νέο νομοσχέδιο για την οικονομία "
    "μέσα στον επόμενο μήνα, μετά από εβδομάδες διαπραγματεύσεων με την αντιπολίτευση.",
    "Σύμφωνα με πηγές του υπουργείου Οικονομικών, το σχέδιο προβλέπει περικοπές δαπανών και αυξήσεις "
    "φόρων για τις μεγάλες επιχειρήσεις, καθώς και στήριξη για τις μικρές.",
]
FRENCH_PARAGRAPHS = [
    "Le président français a déclaré dimanche que la France était prête à frapper de nouveau en Syrie, "
    "« si nécessaire », après une première série de frappes contre un camp d’entraînement près de Deir Ezzor.",
    "Selon l’état-major, six avions ont participé à l’opération et sont rentrés à leur base sans incident ; "
    "d’autres frappes pourraient suivre dans les prochaines semaines, a-t-il ajouté.",
]
ENGLISH_PARAGRAPHS = [
    "The finance minister said on Tuesday that the government would present a new budget to parliament next "
    "month, after weeks of talks with opposition parties and unions over spending cuts and tax rises.",
    "Officials at the ministry said the draft included higher taxes on large companies and support for small "
    "businesses in the regions hit hardest by the downturn, as well as a freeze on public sector hiring.",
    "Opposition leaders called the plan a step in the right direction but said they would press for changes "
    "to the pension reform before any vote, which is expected before the summer recess.",
]

_WORDS = [
    "minister",
    "government",
    "talks",
    "rebels",
    "city",
    "council",
    "market",
    "prices",
    "election",
    "court",
    "ruling",
    "storm",
    "flood",
    "team",
    "coach",
    "season",
    "oil",
    "exports",
    "bank",
    "rates",
    "border",
    "refugees",
    "hospital",
    "vaccine",
    "school",
    "strike",
    "protest",
]
SECTIONS = ["World", "Business", "Sports", "Opinion", "Culture", "Technology", "Health", "Travel"]


def article_html(
    paragraphs: list[str],
    *,
    headline: str = "Budget talks resume",
    lang: str = "en",
    charset: str | None = "utf-8",
    head: str = "",
) -> str:
    meta = f'<meta charset="{charset}">' if charset else ""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head>{meta}<title>{headline} - Gulf Daily</title>'
        f'<meta property="og:site_name" content="Gulf Daily">{head}</head><body>'
        f'<header><nav><a href="/">Home</a> <a href="/world">World</a></nav></header>'
        f"<main><article><h1>{headline}</h1>{body}</article></main>"
        f"<footer><p>&copy; 2015 Gulf Daily. All rights reserved.</p></footer></body></html>"
    )


def arabic_cp1256_lying_utf8() -> bytes:
    """An Arabic page in windows-1256 whose <meta charset> claims UTF-8, as many old CMSs serve."""
    return article_html(ARABIC_PARAGRAPHS, headline="ضربات فرنسية في سوريا", lang="ar").encode("cp1256")


def home_page() -> bytes:
    """A news site's front page: sections of short headline links, a teaser here and there."""
    rnd = random.Random(7)

    def headline() -> str:
        return " ".join(rnd.choice(_WORDS) for _ in range(rnd.randint(6, 11))).capitalize()

    nav = "".join(f'<li><a href="/{s.lower()}">{s}</a></li>' for s in SECTIONS)
    sections = []
    for section in SECTIONS:
        items = []
        for i in range(8):
            teaser = f'<p class="teaser">{headline()}.</p>' if i == 0 else ""
            items.append(
                f'<li class="story"><a href="/{section.lower()}/{rnd.randint(10000, 99999)}-story">'
                f'<img src="/img/{i}.jpg" alt=""><h3>{headline()}</h3></a>{teaser}'
                f'<span class="time">2 hours ago</span></li>'
            )
        sections.append(
            f'<section class="section-{section.lower()}"><h2><a href="/{section.lower()}">{section}</a></h2>'
            f"<ul>{''.join(items)}</ul></section>"
        )
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        "<title>Gulf Daily - Latest news, breaking news</title>"
        '<meta property="og:type" content="website"><meta property="og:title" content="Gulf Daily">'
        '<meta property="og:site_name" content="Gulf Daily"><link rel="canonical" href="https://gulfdaily.example/">'
        f"</head><body><header><nav><ul>{nav}</ul></nav></header><main>{''.join(sections)}</main>"
        "<footer><p>© 2024 Gulf Daily. All rights reserved.</p></footer></body></html>"
    ).encode()


def not_found_page() -> bytes:
    """A 404 page: the site's template, an apology, a search box and a most-read list."""
    nav = "".join(f'<li><a href="/{s.lower()}">{s}</a></li>' for s in SECTIONS)
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Page not found | Gulf Daily</title>'
        '<meta property="og:title" content="Gulf Daily"><meta property="og:site_name" content="Gulf Daily">'
        f"</head><body><header><nav><ul>{nav}</ul></nav></header><main><div class='error-404'>"
        "<h1>Sorry, we couldn't find that page</h1>"
        "<p>The page you are looking for may have been moved, deleted or possibly never existed. Try searching "
        "our site or go back to the home page.</p>"
        '<form action="/search"><input name="q"><button>Search</button></form></div>'
        "<aside><h2>Most read</h2><ul>"
        '<li><a href="/world/1">Minister resigns after talks with rebels collapse in the city</a></li>'
        '<li><a href="/business/2">Oil exports fall as bank raises rates again this quarter</a></li>'
        "</ul></aside></main><footer><p>© 2024 Gulf Daily. All rights reserved.</p></footer></body></html>"
    ).encode()


def distinct_paragraphs(count: int, seed: int = 1) -> list[str]:
    rnd = random.Random(seed)
    return [
        " ".join(rnd.choice(_WORDS) for _ in range(rnd.randint(25, 45))).capitalize() + "."
        for _ in range(count)
    ]


def huge_page(size: int = 3_000_000) -> bytes:
    """A 3 MB page as big sites serve them: an inline state blob, an SVG sprite, a mega-menu, a normal article."""
    state = json.dumps(
        {"items": [{"id": i, "title": f"Story {i} about the market", "url": f"/s/{i}"} for i in range(20000)]}
    )
    sprite = "".join(
        f"<symbol id='i{i}' viewBox='0 0 24 24'><path d='M{i} 0h24v24H0z'/></symbol>" for i in range(3000)
    )
    menu = "".join(f"<li><a href='/topic/{i}'>Topic {i}</a></li>" for i in range(1500))
    page = article_html(
        ENGLISH_PARAGRAPHS + distinct_paragraphs(40),
        head=f"<script>window.__STATE__ = {state};</script>",
    ).replace("<body>", f"<body><svg style='display:none'>{sprite}</svg><nav><ul>{menu}</ul></nav>", 1)
    padding = size - len(page.encode("utf-8")) - len("<script>var p='';</script>")
    return page.replace("</body>", f"<script>var p='{'x' * max(padding, 0)}';</script></body>").encode(
        "utf-8"
    )


def nested_page(levels: int = 5000) -> bytes:
    """Markup nested thousands of elements deep, as broken templates and hostile pages produce."""
    body = "<div>" * levels + "<p>" + ENGLISH_PARAGRAPHS[0] + "</p>" + "</div>" * levels
    return f"<html><body>{body}</body></html>".encode()


def tag_soup_page() -> bytes:
    """Broken markup with a real story in it: unclosed tags, stray closers, a bad comment."""
    paragraphs = "".join(f"<p>{p}<b><i>" for p in ENGLISH_PARAGRAPHS)
    return (
        f"<html><head><title>Budget talks resume</title><body><div><table><tr><td>{paragraphs}"
        "</span></div></td><!-- never closed <p>trailing text</font></html>"
    ).encode()


PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n" * 20
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    + bytes(200)
)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + bytes(200)
GZIPPED_PAGE = gzip.compress(article_html(ENGLISH_PARAGRAPHS).encode())
SVG = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<!-- Generator: Illustrator -->\n'
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><title>Logo of the Gulf Daily</title>'
    b'<text x="0" y="5">Gulf Daily news and analysis from the region every day</text></svg>'
)
RSS = (
    b'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Gulf Daily</title>'
    + b"".join(
        f"<item><title>{p[:60]}</title><link>https://gulf.example/{i}</link><description>{p}</description></item>".encode()
        for i, p in enumerate(ENGLISH_PARAGRAPHS)
    )
    + b"</channel></rss>"
)
SITEMAP = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
    + b"".join(f"<url><loc>https://gulf.example/{i}</loc></url>".encode() for i in range(50))
    + b"</urlset>"
)
JSON_API = json.dumps(
    {"status": "ok", "articles": [{"title": p[:50], "body": p} for p in ENGLISH_PARAGRAPHS]}
).encode()
RANDOM_BINARY = random.Random(3).randbytes(4096)
