"""Which hits are page views, and who sent them: bots and prefetches are told apart, a visitor is a keyed hash.

No raw IP address leaves this module: the address (or the first-party cookie id, when the
reader has one) is folded with the user agent into an HMAC keyed with ``SECRET_KEY`` and a
random salt that lives one day in Redis; the address alone, which caps what one client can
count whatever agent or cookie it sends, is hashed the same way. Once the salt has expired, nobody, not even with
``SECRET_KEY``, can tell which address a hash came from.
"""

from __future__ import annotations

import enum
import functools
import hashlib
import hmac
import re
import secrets
from pathlib import Path

import crawleruseragents
from django.conf import settings

from articles.counters.keys import salt_key
from newsroom.clients import client_address

# Bot patterns of our own, on top of the maintained list (crawler-user-agents, pinned in
# requirements.txt): one regular expression a line.
EXTRA_BOTS_FILE = Path(__file__).resolve().parent.parent / "data" / "bot_user_agents.txt"
# Long enough for any real browser; a longer header is cut before matching.
USER_AGENT_MAX = 512
COOKIE_ID = re.compile(r"[A-Za-z0-9_-]{8,64}")
# The salt outlives its day by a day, so hits near midnight and late flushes still agree.
SALT_TTL = 2 * 24 * 3600
# Request headers browsers send when they fetch a page that nobody may ever look at.
PREFETCH_HEADERS = ("HTTP_SEC_PURPOSE", "HTTP_PURPOSE", "HTTP_X_PURPOSE", "HTTP_X_MOZ")
PREFETCH_VALUES = ("prefetch", "prerender", "preview")


class Ignored(enum.StrEnum):
    """Why a hit is not counted."""

    BOT = "bot"
    PREFETCH = "prefetch"
    NOT_A_VIEW = "not_a_view"


def hit_ignored(request, *, fetch_dest: str) -> Ignored | None:
    """Why ``request`` is not a page view, or None when it is one.

    ``fetch_dest`` is what a browser says it is fetching for this endpoint: ``empty`` for
    the beacon (``sendBeacon``, ``fetch``), ``image`` for the no-script pixel. Requests
    without the ``Sec-Fetch-*`` headers (older browsers) are not held against.
    """
    meta = request.META
    if user_agent_is_bot(meta.get("HTTP_USER_AGENT", "")):
        return Ignored.BOT
    for header in PREFETCH_HEADERS:
        value = meta.get(header, "").lower()
        if value and any(word in value for word in PREFETCH_VALUES):
            return Ignored.PREFETCH
    dest = meta.get("HTTP_SEC_FETCH_DEST")
    if dest is not None and dest != fetch_dest:
        return Ignored.NOT_A_VIEW
    # Our pages send the beacon to their own site; another site's page cannot inflate counts.
    if meta.get("HTTP_SEC_FETCH_SITE") == "cross-site":
        return Ignored.NOT_A_VIEW
    return None


def user_agent_is_bot(user_agent: str) -> bool:
    """Whether a user agent is a known crawler, bot, monitor or headless browser, or missing."""
    return _user_agent_is_bot(user_agent[:USER_AGENT_MAX])


@functools.lru_cache(maxsize=4096)
def _user_agent_is_bot(user_agent: str) -> bool:
    # A few thousand distinct agents make most of the traffic, so the regular expressions
    # (about 0.2 ms an agent) run once per agent and process.
    if not user_agent.strip():
        # Every browser sends one, sendBeacon and image requests included: a hit without one
        # comes from a script or a tool, not from a reader.
        return True
    return crawleruseragents.is_crawler(user_agent) or bool(_extra_bots().search(user_agent))


@functools.cache
def _extra_bots() -> re.Pattern:
    lines = EXTRA_BOTS_FILE.read_text(encoding="utf-8").splitlines()
    patterns = [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]
    return re.compile("|".join(f"(?:{p})" for p in patterns) or r"(?!)")


def visitor_id(request, *, salt: str) -> str:
    """A keyed hash of who sent the hit: the first-party cookie id if there is one, else address and agent."""
    cookie = request.COOKIES.get(settings.VIEW_VISITOR_COOKIE, "") if settings.VIEW_VISITOR_COOKIE else ""
    if COOKIE_ID.fullmatch(cookie):
        material = f"cookie\n{cookie}"
    else:
        agent = request.META.get("HTTP_USER_AGENT", "")[:USER_AGENT_MAX]
        material = f"address\n{client_address(request)}\n{agent}"
    return _keyed_hash(material, salt)


def address_id(request, *, salt: str) -> str:
    """A keyed hash of the client address alone (see ``newsroom.clients``); "" when there is none."""
    address = client_address(request)
    return _keyed_hash(f"client\n{address}", salt) if address else ""


def _keyed_hash(material: str, salt: str) -> str:
    return hmac.new(_visitor_key(salt, settings.SECRET_KEY), material.encode(), hashlib.sha256).hexdigest()[
        :32
    ]


@functools.lru_cache(maxsize=4)
def _visitor_key(salt: str, secret: str) -> bytes:
    # What django.utils.crypto.salted_hmac derives on every call, derived once a day.
    return hashlib.sha256(f"newsroom.views.visitor.{salt}{secret}".encode()).digest()


_salts: dict[tuple[int, str], str] = {}


def daily_salt(client, day) -> str:
    """The day's salt, shared by every process through Redis and remembered here for the day."""
    cache_key = (id(client), day.isoformat())
    salt = _salts.get(cache_key)
    if salt is None:
        pipe = client.pipeline(transaction=False)
        pipe.set(salt_key(day), secrets.token_hex(16), nx=True, ex=SALT_TTL)
        pipe.get(salt_key(day))
        salt = pipe.execute()[1].decode()
        _salts.clear()  # yesterday's salt is not needed any more
        _salts[cache_key] = salt
    return salt
