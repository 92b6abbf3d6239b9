"""Who may do what, through the API and the admin: the desk's policy as one table, every cell tested.

``POLICY`` is the policy: each row a consequence (a story goes live, an agency is added, a draft
is read) and the roles that may cause it; docs/operations.md ("Roles and permissions") shows the
same table. ``PROBES`` reach each row through every door that leads to it (API endpoint, admin
view, bulk action, workflow button, ingest form). Each probe runs as each role and asserts the
status code and the outcome: the row written or the protected text served when the role may,
neither when it may not.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

import lxml.html
import pytest
from django.contrib.auth.models import Group, User
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from articles.models import Agency, Article, ArticleNote, RawDocument, RelatedLink, SiteFurniture
from entities.models import Alias, Entity, EntitySuggestion, RetagJob
from newsroom import roles
from partners.models import ApiToken
from partners.services import api_token_create
from sources.models import Source
from tests.factories import (
    CHROME,
    AgencyFactory,
    AliasFactory,
    ArticleFactory,
    EntityFactory,
    EntitySuggestionFactory,
    ExtractionReportFactory,
    RawDocumentFactory,
    UserFactory,
)
from tests.web_server import LocalWebServer

pytestmark = pytest.mark.django_db

S = Article.Status

ANONYMOUS = "anonymous"
NO_GROUP = "signed in, no group"
REPORTER = "reporter"
EDITOR = "editor"
CHIEF = "chief editor"
PARTNER = "API partner"
SUPERUSER = "superuser"
ROLES = (ANONYMOUS, NO_GROUP, REPORTER, EDITOR, CHIEF, PARTNER, SUPERUSER)
# The group each role's user is in. "signed in, no group" is staff, the worst case: it passes
# the admin's staff check, so only permissions stand in its way. The API partner is not staff.
GROUPS = {
    REPORTER: roles.REPORTER,
    EDITOR: roles.EDITOR,
    CHIEF: roles.CHIEF_EDITOR,
    PARTNER: roles.API_PARTNER,
}
STAFF = {NO_GROUP, REPORTER, EDITOR, CHIEF, SUPERUSER}

EVERYONE = frozenset(ROLES)
NOBODY = frozenset()
ONLY_SUPERUSER = frozenset({SUPERUSER})
DESK = frozenset({REPORTER, EDITOR, CHIEF, SUPERUSER})
EDITORS = frozenset({EDITOR, CHIEF, SUPERUSER})
CHIEFS = frozenset({CHIEF, SUPERUSER})
SENDERS = DESK | {PARTNER}

# The policy: who may cause each consequence, whichever door they use.
POLICY: dict[str, frozenset[str]] = {
    # Reading
    "read published stories, their related lists and view figures, most read, agencies, entities, "
    "the API schema; count a view": EVERYONE,
    "read unpublished stories (drafts, in review, scheduled, killed) and the desk's queues": DESK,
    "count a view of an unpublished story": NOBODY,
    "read blocked entities": DESK,
    "read raw documents through the API": SENDERS,
    "read the desk in the admin: stories, raw documents and their pages, agencies, entities, "
    "aliases, mentions, suggestions, merges, re-tag jobs, taggings": DESK,
    "read site furniture in the admin": EDITORS,
    # Sending pages in
    "send a page in (API, admin ingest form), crediting a known agency": SENDERS,
    "send a page in to be published as it is extracted": EDITORS,
    "send a page in crediting an agency not known yet (adds the agency)": EDITORS,
    "write through the API other than by sending pages in, writing, editing and moving stories": NOBODY,
    # Stories
    "add a story; edit a story that is not live; submit it for review": DESK,
    "edit a live story (published or scheduled): its text, a flag's fix, a revert": EDITORS,
    "set a story's embargo or expiry": EDITORS,
    "mark a story ready or send it back to review": EDITORS,
    "publish, schedule, unschedule, unpublish a story; add a correction": EDITORS,
    "kill or archive a story": CHIEFS,
    "delete a story": CHIEFS,
    "re-run extraction of pages and stories; change a raw document's date or agency hint": EDITORS,
    # The rest of the desk
    "add and change agencies": EDITORS,
    "delete agencies": ONLY_SUPERUSER,
    "add, change, enable and disable site furniture": EDITORS,
    "delete site furniture": CHIEFS,
    "add, change, merge, block and approve entities; add, change and delete aliases": EDITORS,
    "delete entities": CHIEFS,
    "rule on suggested names (approve, add as alias, block, correct the type)": EDITORS,
    "start re-tag jobs": EDITORS,
    # Followed feeds (sources/)
    "read followed sources and the items they brought in, in the admin": DESK,
    "follow a feed: add, change, enable and disable followed sources": EDITORS,
    "delete followed sources": CHIEFS,
    "make and revoke partners' API tokens (for accounts holding no more than the maker)": EDITORS,
    "manage users and groups": ONLY_SUPERUSER,
}


# --- The world each probe acts on ------------------------------------------------------------------


class World:
    """The rows a probe needs, made on first use; ``client`` is signed in as the role under test."""

    SECRET = "Unpublished exclusive on the harbour deal"

    def __init__(self, role: str):
        self.role = role
        self.user = _user(role)
        self.client = APIClient()
        if self.user is not None:
            self.client.force_login(self.user)

    def story(self, status: str, **fields) -> Article:
        fields.setdefault("headline", self.SECRET if status != S.PUBLISHED else "Published harbour story")
        if status == S.SCHEDULED:
            fields.setdefault("publish_at", timezone.now() + dt.timedelta(days=1))
        if status == S.KILLED:
            fields.setdefault("kill_notice", "Withdrawn.")
        return ArticleFactory(status=status, **fields)

    @cached_property
    def published(self) -> Article:
        return self.story(S.PUBLISHED)

    @cached_property
    def draft(self) -> Article:
        return self.story(S.DRAFT)

    @cached_property
    def flagged_draft(self) -> Article:
        return self._flagged(S.NEEDS_REVIEW)

    @cached_property
    def flagged_published(self) -> Article:
        return self._flagged(S.PUBLISHED)

    def _flagged(self, status: str) -> Article:
        article = self.story(status, body_text="Oil rose.\n\nOil rose.\n\nPrices held.")
        flag = {
            "kind": "repeated_sentence",
            "text": "Oil rose.",
            "detail": {"first_paragraph": 1, "again_paragraph": 2, "again": "Oil rose."},
        }
        ExtractionReportFactory(article=article, flagged=[flag])
        return article

    @cached_property
    def raw(self) -> RawDocument:
        raw = RawDocumentFactory(content=b"Raw secret page\n\nIts body.")
        ArticleFactory(status=S.READY, raw_document=raw)
        return raw

    @cached_property
    def agency(self) -> Agency:
        return AgencyFactory(name="Kuwait News Agency", slug="kuna", aliases=["KUNA"])

    @cached_property
    def entity(self) -> Entity:
        return EntityFactory(name="Sheikh Sabah")

    @cached_property
    def blocked(self) -> Entity:
        return EntityFactory(name="Blocked secret name", status=Entity.Status.BLOCKED)

    @cached_property
    def suggestion(self) -> EntitySuggestion:
        return EntitySuggestionFactory(name="Fahad Al-Sabah")

    @cached_property
    def partner_account(self) -> User:
        user = UserFactory(username="harbour-times")
        user.groups.add(Group.objects.get(name=roles.API_PARTNER))
        return User.objects.get(pk=user.pk)

    @cached_property
    def token(self) -> ApiToken:
        maker = UserFactory(username="token-maker", is_superuser=True)
        return api_token_create(name="Harbour Times", user=self.partner_account, by=maker).token

    @cached_property
    def furniture(self) -> SiteFurniture:
        return SiteFurniture.objects.create(site="news.test", pattern="back to top", example="Back to top")

    @cached_property
    def disabled_furniture(self) -> SiteFurniture:
        return SiteFurniture.objects.create(site="news.test", pattern="share", example="Share", enabled=False)

    @cached_property
    def seen_item(self):
        return self.source.items.create(url="https://kuna.test/2015/talks", link_key="k")

    @cached_property
    def source(self) -> Source:
        return Source.objects.create(name="KUNA wire", url="https://kuna.test/feed.xml")

    @cached_property
    def disabled_source(self) -> Source:
        return Source.objects.create(name="Quiet wire", url="https://quiet.test/feed.xml", enabled=False)

    # Requests

    def api(self, method: str, url: str, data=None, **kwargs):
        return getattr(self.client, method)(url, data, format="json", **kwargs)

    def form_post(self, url: str, **changes):
        """Post the admin form at ``url`` as a superuser sees it filled, with ``changes``."""
        data = _form_values(url)
        data.update(changes)
        return self.client.post(url, {k: v for k, v in data.items() if v is not None})

    def action(self, model: str, name: str, objects, **extra):
        url = reverse(f"admin:{model}_changelist")
        selected = [obj.pk for obj in objects]
        return self.client.post(url, {"action": name, "_selected_action": selected, "index": 0, **extra})


def _user(role: str) -> User | None:
    if role == ANONYMOUS:
        return None
    user = UserFactory(
        username=role.replace(" ", "-").replace(",", ""),
        is_staff=role in STAFF,
        is_superuser=role == SUPERUSER,
    )
    if role in GROUPS:
        user.groups.add(Group.objects.get(name=GROUPS[role]))
    return User.objects.get(pk=user.pk)


def _form_values(url: str) -> dict:
    client = APIClient()
    client.force_login(UserFactory(username="form-reader", is_staff=True, is_superuser=True))
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    # The admin's change form is "<model>_form"; the header's log-out form is another POST form.
    form = next(
        form
        for form in lxml.html.fromstring(response.content).forms
        if form.get("id", "").endswith("_form") and form.get("id") != "logout-form"
    )
    values: dict = {}
    for name, value in form.form_values():
        values.setdefault(name, value)
    return values


def _reload(obj):
    return type(obj).objects.filter(pk=obj.pk).first()


# --- Probes -----------------------------------------------------------------------------------------


def api_refused(world: World) -> set[int]:
    # Token authentication comes first with its Bearer challenge: anonymous gets 401, a user 403.
    return {401} if world.role == ANONYMOUS else {403}


def hidden(world: World) -> set[int]:
    return {404}


def admin_refused(world: World) -> set[int]:
    # The admin sends whoever is not staff to its login page.
    return {403} if world.role in STAFF else {302}


def action_refused(view_permission: str):
    """A refused admin action: not offered (back to the list) or refused by its service (a message)."""

    def refused(world: World) -> set[int]:
        if world.role not in STAFF:
            return {302}
        if not world.user.has_perm(view_permission):
            return {403}
        return {200, 302}

    return refused


@dataclass(frozen=True)
class Probe:
    rule: str  # the row of POLICY it tests
    name: str
    act: Callable[[World], object]  # makes the request, returns the response
    done: Callable[[World, object], bool]  # whether the outcome happened: a row written, a secret served
    ok: set[int] = field(default_factory=lambda: {200})
    refused: Callable[[World], set[int]] = api_refused
    needs: tuple[str, ...] = ()  # rows of the world made before the request
    admin: bool = False  # through the admin, which opens to staff only

    def allows(self, role: str) -> bool:
        return role in POLICY[self.rule] and (role in STAFF or not self.admin)

    def __str__(self):
        return self.name


def shows(text: str):
    def done(world: World, response) -> bool:
        return text.encode() in response.content

    return done


def shows_secret(world: World, response) -> bool:
    return World.SECRET.encode() in response.content


def answered(world: World, response) -> bool:
    return response.status_code in (200, 201, 204)


READ_PUBLIC = next(rule for rule in POLICY if rule.startswith("read published"))
READ_UNPUBLISHED = next(rule for rule in POLICY if rule.startswith("read unpublished"))
BLOCKED = "read blocked entities"
RAW_API = "read raw documents through the API"
READ_ADMIN = next(rule for rule in POLICY if rule.startswith("read the desk in the admin"))
SEND = "send a page in (API, admin ingest form), crediting a known agency"
SEND_PUBLISH = "send a page in to be published as it is extracted"
SEND_AGENCY = "send a page in crediting an agency not known yet (adds the agency)"
API_WRITES = "write through the API other than by sending pages in, writing, editing and moving stories"
EDIT = "add a story; edit a story that is not live; submit it for review"
EDIT_LIVE = "edit a live story (published or scheduled): its text, a flag's fix, a revert"
TIMING = "set a story's embargo or expiry"
REVIEW = "mark a story ready or send it back to review"
PUBLISH = "publish, schedule, unschedule, unpublish a story; add a correction"
KILL = "kill or archive a story"
DELETE = "delete a story"
REEXTRACT = "re-run extraction of pages and stories; change a raw document's date or agency hint"
AGENCIES = "add and change agencies"
FURNITURE = "add, change, enable and disable site furniture"
FOLLOWED = "read followed sources and the items they brought in, in the admin"
FOLLOW = "follow a feed: add, change, enable and disable followed sources"
ENTITIES = "add, change, merge, block and approve entities; add, change and delete aliases"
SUGGESTIONS = "rule on suggested names (approve, add as alias, block, correct the type)"
TOKENS = "make and revoke partners' API tokens (for accounts holding no more than the maker)"


def _api_reads() -> list[Probe]:
    probes = []
    public = [
        ("GET /api/articles/", lambda w: w.api("get", "/api/articles/"), "published"),
        ("GET /api/articles/{id}/", lambda w: w.api("get", f"/api/articles/{w.published.pk}/"), "published"),
        (
            "GET /api/articles/{id}/ninjs/",
            lambda w: w.api("get", f"/api/articles/{w.published.pk}/ninjs/"),
            "published",
        ),
        (
            "GET /api/articles/{id}/related/",
            lambda w: w.api("get", f"/api/articles/{w.published.pk}/related/"),
            None,
        ),
        (
            "GET /api/articles/{id}/views/daily/",
            lambda w: w.api("get", f"/api/articles/{w.published.pk}/views/daily/"),
            None,
        ),
        ("GET /api/articles/most-read/", lambda w: w.api("get", "/api/articles/most-read/"), None),
        ("GET /api/agencies/", lambda w: w.api("get", "/api/agencies/"), "agency"),
        ("GET /api/agencies/{slug}/", lambda w: w.api("get", f"/api/agencies/{w.agency.slug}/"), "agency"),
        ("GET /api/entities/", lambda w: w.api("get", "/api/entities/"), "entity"),
        ("GET /api/entities/{slug}/", lambda w: w.api("get", f"/api/entities/{w.entity.slug}/"), "entity"),
        (
            "GET /api/entities/{slug}/articles/",
            lambda w: w.api("get", f"/api/entities/{w.entity.slug}/articles/"),
            None,
        ),
        ("GET /api/schema/", lambda w: w.client.get("/api/schema/"), None),
        ("GET /api/docs/", lambda w: w.client.get("/api/docs/"), None),
    ]
    texts = {"published": "Published harbour story", "agency": "Kuwait News Agency", "entity": "Sheikh Sabah"}
    for name, act, text in public:
        needs = ("published", "agency", "entity")
        probes.append(Probe(READ_PUBLIC, name, act, shows(texts[text]) if text else answered, needs=needs))
    probes.append(
        Probe(
            READ_PUBLIC,
            "POST /api/articles/{id}/views/ (beacon)",
            lambda w: w.client.post(f"/api/articles/{w.published.pk}/views/", HTTP_USER_AGENT=CHROME),
            lambda w, r: _views_counted(w.published),
            ok={204},
        )
    )
    probes.append(
        Probe(
            "count a view of an unpublished story",
            "POST /api/articles/{id}/views/ of a draft",
            lambda w: w.client.post(f"/api/articles/{w.draft.pk}/views/", HTTP_USER_AGENT=CHROME),
            lambda w, r: _views_counted(w.draft),
            refused=hidden,
        )
    )
    for status in (S.DRAFT, S.NEEDS_REVIEW, S.SCHEDULED, S.KILLED):
        probes += [
            Probe(
                READ_UNPUBLISHED,
                f"GET /api/articles/{{id}}/ ({status})",
                lambda w, status=status: w.api("get", f"/api/articles/{w.story(status).pk}/"),
                shows_secret,
                refused=hidden,
            ),
        ]
    probes.append(
        Probe(
            READ_UNPUBLISHED,
            "GET /api/articles/{id}/ninjs/ (draft)",
            lambda w: w.api("get", f"/api/articles/{w.draft.pk}/ninjs/"),
            shows_secret,
            refused=hidden,
        )
    )
    probes += [
        Probe(
            READ_UNPUBLISHED,
            "GET /api/articles/ with drafts",
            lambda w: w.api("get", "/api/articles/", {"status": "draft"}),
            shows_secret,
            refused=lambda w: {200},
            needs=("draft",),
        ),
        Probe(
            READ_UNPUBLISHED,
            "GET /api/articles/{id}/related/ (draft)",
            lambda w: w.api("get", f"/api/articles/{w.draft.pk}/related/"),
            answered,
            refused=hidden,
        ),
        Probe(
            READ_UNPUBLISHED,
            "GET /api/articles/{id}/views/daily/ (draft)",
            lambda w: w.api("get", f"/api/articles/{w.draft.pk}/views/daily/"),
            answered,
            refused=hidden,
        ),
        Probe(
            READ_UNPUBLISHED,
            "GET /admin/ (the desk's queues)",
            lambda w: w.client.get("/admin/"),
            shows_secret,
            refused=lambda w: {200} if w.role in STAFF else {302},
            needs=("flagged_draft",),
        ),
        Probe(
            BLOCKED,
            "GET /api/entities/{slug}/ (blocked)",
            lambda w: w.api("get", f"/api/entities/{w.blocked.slug}/"),
            shows("Blocked secret name"),
            refused=hidden,
        ),
        Probe(
            BLOCKED,
            "GET /api/entities/ with blocked",
            lambda w: w.api("get", "/api/entities/"),
            shows("Blocked secret name"),
            refused=lambda w: {200},
            needs=("blocked",),
        ),
        Probe(
            RAW_API,
            "GET /api/raw-documents/",
            lambda w: w.api("get", "/api/raw-documents/"),
            shows("page-"),
            needs=("raw",),
        ),
        Probe(
            RAW_API,
            "GET /api/raw-documents/{id}/",
            lambda w: w.api("get", f"/api/raw-documents/{w.raw.pk}/"),
            shows("page-"),
        ),
    ]
    return probes


def _views_counted(article: Article) -> bool:
    from articles import counters

    article = _reload(article)
    return article.view_count + counters.article_pending_views(article_id=article.pk) > 0


def _sent(text: str):
    def done(world: World, response) -> bool:
        return RawDocument.objects.filter(content=text.encode()).exists()

    return done


def _api_writes() -> list[Probe]:
    page = "Oil output rose in September, the ministry said."

    def send(w: World, **data):
        return w.api("post", "/api/raw-documents/", {"content": page, **data})

    probes = [
        Probe(SEND, "POST /api/raw-documents/", send, _sent(page), ok={201}),
        Probe(
            SEND,
            "POST /api/raw-documents/ with a known agency's alias",
            lambda w: send(w, agency=w.agency.aliases[0]),
            lambda w, r: RawDocument.objects.filter(agency_hint=w.agency).exists(),
            ok={201},
        ),
        Probe(
            SEND,
            "POST /api/raw-documents/ multipart",
            lambda w: w.client.post(
                "/api/raw-documents/", {"content": page, "source": "upload.txt"}, format="multipart"
            ),
            _sent(page),
            ok={201},
        ),
        Probe(
            SEND_PUBLISH,
            "POST /api/raw-documents/ publish=true",
            lambda w: send(w, publish=True),
            lambda w, r: RawDocument.objects.filter(publish_on_extract=True).exists(),
            ok={201},
        ),
        Probe(
            SEND_AGENCY,
            "POST /api/raw-documents/ with a new agency",
            lambda w: send(w, agency="Brand New Wire"),
            lambda w, r: Agency.objects.filter(name="Brand New Wire").exists() and _sent(page)(w, r),
            ok={201},
        ),
        Probe(
            SEND_AGENCY,
            "POST /api/raw-documents/ with a new agency and publish=true",
            lambda w: send(w, agency="Brand New Wire", publish=True),
            lambda w, r: Agency.objects.filter(name="Brand New Wire").exists(),
            ok={201},
        ),
    ]
    # Endpoints that take no writes: 405 whoever asks (the method is checked before the model
    # permission, articles.api.parsers.api_exception_handler); nothing changes either way.
    for name, act, _needs, unchanged in [
        (
            "PUT /api/articles/{id}/",
            lambda w: w.api(
                "put", f"/api/articles/{w.published.pk}/", {"headline": "Hacked", "body_text": "x"}
            ),
            "change_article",
            lambda w: _reload(w.published).headline != "Hacked",
        ),
        (
            "DELETE /api/articles/{id}/",
            lambda w: w.api("delete", f"/api/articles/{w.published.pk}/"),
            "delete_article",
            lambda w: _reload(w.published) is not None,
        ),
        ("POST /api/agencies/", lambda w: w.api("post", "/api/agencies/", {"name": "x"}), "add_agency", None),
        (
            "DELETE /api/agencies/{slug}/",
            lambda w: w.api("delete", f"/api/agencies/{w.agency.slug}/"),
            "delete_agency",
            lambda w: _reload(w.agency) is not None,
        ),
        (
            "PATCH /api/raw-documents/{id}/",
            lambda w: w.api("patch", f"/api/raw-documents/{w.raw.pk}/", {"source": "Hacked"}),
            "change_rawdocument",
            lambda w: _reload(w.raw).source != "Hacked",
        ),
        (
            "DELETE /api/raw-documents/{id}/",
            lambda w: w.api("delete", f"/api/raw-documents/{w.raw.pk}/"),
            "delete_rawdocument",
            lambda w: _reload(w.raw) is not None,
        ),
        (
            "DELETE /api/entities/{slug}/",
            lambda w: w.api("delete", f"/api/entities/{w.entity.slug}/"),
            "entities.delete_entity",
            lambda w: _reload(w.entity) is not None,
        ),
    ]:
        probes.append(
            Probe(
                API_WRITES,
                name,
                act,
                (lambda w, r, unchanged=unchanged: not unchanged(w)) if unchanged else (lambda w, r: False),
                refused=lambda w: {405},
            )
        )
    return [*probes, *_api_story_writes()]


def _from_url(w: World):
    """Send in a page served on loopback, which the fetcher is told to trust for this request."""
    server = LocalWebServer()
    try:
        with override_settings(FETCH_TRUSTED_SOURCES=["127.0.0.1"]):
            w.fetched_url = server.url("/page")
            return w.api("post", "/api/articles/from-url/", {"url": w.fetched_url})
    finally:
        server.close()


def _api_story_writes() -> list[Probe]:
    """Stories written, edited and sent in through the API: the same rules as the admin's."""
    story = {"headline": "A story written through the API", "body_text": "One paragraph."}
    return [
        Probe(
            EDIT,
            "POST /api/articles/",
            lambda w: w.api("post", "/api/articles/", story),
            lambda w, r: Article.objects.filter(headline=story["headline"]).exists(),
            ok={201},
        ),
        Probe(
            EDIT,
            "PATCH /api/articles/{id}/ of a draft",
            lambda w: w.api("patch", f"/api/articles/{w.draft.pk}/", {"headline": "Edited draft"}),
            _headline_is("draft", "Edited draft"),
            # No permission to change stories is refused before the story is looked up.
            refused=api_refused,
        ),
        Probe(
            EDIT_LIVE,
            "PATCH /api/articles/{id}/ of a published story",
            lambda w: w.api("patch", f"/api/articles/{w.published.pk}/", {"headline": "Edited live"}),
            _headline_is("published", "Edited live"),
        ),
        Probe(
            TIMING,
            "PATCH /api/articles/{id}/ embargo of a draft",
            lambda w: w.api(
                "patch", f"/api/articles/{w.draft.pk}/", {"embargo_until": _tomorrow().isoformat()}
            ),
            lambda w, r: _reload(w.draft).embargo_until is not None,
        ),
        Probe(
            SEND,
            "POST /api/articles/from-page/",
            lambda w: w.api(
                "post", "/api/articles/from-page/", {"content": "From a page\n\nIts only paragraph."}
            ),
            _sent("From a page\n\nIts only paragraph."),
            ok={201},
        ),
        Probe(
            SEND_PUBLISH,
            "POST /api/articles/from-page/ publish=true",
            lambda w: w.api(
                "post", "/api/articles/from-page/", {"content": "Go live\n\nAt once.", "publish": True}
            ),
            _sent("Go live\n\nAt once."),
            ok={201},
        ),
        Probe(
            SEND,
            "POST /api/articles/from-url/",
            _from_url,
            lambda w, r: RawDocument.objects.filter(source=w.fetched_url).exists(),
            ok={201},
        ),
    ]


# move: (rule, the state it starts from, extra data for the API, the admin form's fields for it)
MOVES = {
    "submit": (EDIT, S.DRAFT, {}, {}),
    "mark_ready": (REVIEW, S.NEEDS_REVIEW, {}, {}),
    "send_back": (REVIEW, S.READY, {}, {}),
    "schedule": (PUBLISH, S.READY, {"publish_at": "tomorrow"}, {"move_publish_at": "tomorrow"}),
    "unschedule": (PUBLISH, S.SCHEDULED, {}, {}),
    "publish": (PUBLISH, S.READY, {}, {}),
    "unpublish": (PUBLISH, S.PUBLISHED, {}, {}),
    "correct": (
        PUBLISH,
        S.PUBLISHED,
        {"kind": "correction", "text": "Fixed a date."},
        {"move_note": "Fixed a date."},
    ),
    "kill": (KILL, S.PUBLISHED, {"notice": "Withdrawn."}, {"move_notice": "Withdrawn."}),
    "archive": (KILL, S.KILLED, {}, {}),
}
TARGETS = {
    "submit": S.NEEDS_REVIEW,
    "mark_ready": S.READY,
    "send_back": S.NEEDS_REVIEW,
    "schedule": S.SCHEDULED,
    "unschedule": S.READY,
    "publish": S.PUBLISHED,
    "unpublish": S.DRAFT,
    "correct": S.PUBLISHED,
    "kill": S.KILLED,
    "archive": S.ARCHIVED,
}
# The bulk actions of the article list (scheduling, kills and corrections need the story's page).
BULK_MOVES = ("submit", "mark_ready", "send_back", "publish", "unschedule", "unpublish", "archive")


def _tomorrow():
    return timezone.now() + dt.timedelta(days=1)


def _moved(name: str):
    def done(world: World, response) -> bool:
        article = Article.objects.get(pk=world.moving.pk)
        if name == "correct":
            return ArticleNote.objects.filter(article=article).exists()
        return article.status == TARGETS[name]

    return done


def _move_api(name: str, source: str, data: dict, *, own_url: bool = False):
    """The move through ``/moves/{name}/`` or through its own URL (``/publish/``, ``/mark-ready/``)."""

    def act(w: World):
        w.moving = w.story(source)
        body = {key: _tomorrow().isoformat() if value == "tomorrow" else value for key, value in data.items()}
        path = name.replace("_", "-") if own_url else f"moves/{name}"
        return w.api("post", f"/api/articles/{w.moving.pk}/{path}/", body)

    return act


def _move_refused(source: str):
    def refused(w: World) -> set[int]:
        if w.user is None:
            return {401}
        if source != S.PUBLISHED and not w.user.has_perm("articles.view_article"):
            return {404}  # a story they may not read is not there for them
        return {403}

    return refused


def _move_button(name: str, source: str, fields: dict):
    def act(w: World):
        w.moving = w.story(source)
        url = reverse("admin:articles_article_change", args=[w.moving.pk])
        extra = {"_move": name}
        for key, value in fields.items():
            if value == "tomorrow":
                when = timezone.localtime(_tomorrow())
                extra.update({f"{key}_0": when.date().isoformat(), f"{key}_1": when.strftime("%H:%M:%S")})
            else:
                extra[key] = value
        if w.role not in STAFF or not w.user.has_perm("articles.view_article"):
            return w.client.post(url, extra)
        return w.form_post(url, **extra)

    return act


def _move_bulk(name: str, source: str):
    def act(w: World):
        w.moving = w.story(source)
        return w.action("articles_article", f"{name}_articles", [w.moving])

    return act


def _moves() -> list[Probe]:
    probes = []
    for name, (rule, source, data, fields) in MOVES.items():
        probes.append(
            Probe(
                rule,
                f"POST /api/articles/{{id}}/moves/{name}/",
                _move_api(name, source, data),
                _moved(name),
                refused=_move_refused(source),
            )
        )
        probes.append(
            Probe(
                rule,
                f"POST /api/articles/{{id}}/{name.replace('_', '-')}/",
                _move_api(name, source, data, own_url=True),
                _moved(name),
                refused=_move_refused(source),
            )
        )
        # The buttons save the form, then move: a live story's form is not for those who may not edit it.
        probes.append(
            Probe(
                rule,
                f"admin button “{name}”",
                _move_button(name, source, fields),
                _moved(name),
                ok={302},
                refused=lambda w: {302, 403} if w.role in STAFF else {302},
                admin=True,
            )
        )
        if name in BULK_MOVES:
            probes.append(
                Probe(
                    rule,
                    f"admin action {name}_articles",
                    _move_bulk(name, source),
                    _moved(name),
                    ok={302},
                    refused=action_refused("articles.view_article"),
                    admin=True,
                )
            )
    return probes


def _admin_reads() -> list[Probe]:
    probes = []
    lists = {
        "articles_article": "articles.view_article",
        "articles_rawdocument": "articles.view_rawdocument",
        "articles_agency": "articles.view_agency",
        "entities_entity": "entities.view_entity",
        "entities_alias": "entities.view_alias",
        "entities_mention": "entities.view_mention",
        "entities_entitysuggestion": "entities.view_entitysuggestion",
        "entities_entityredirect": "entities.view_entityredirect",
        "entities_retagjob": "entities.view_retagjob",
        "entities_articletagging": "entities.view_articletagging",
    }
    for model in lists:
        probes.append(
            Probe(
                READ_ADMIN,
                f"admin list {model}",
                lambda w, model=model: w.client.get(reverse(f"admin:{model}_changelist")),
                answered,
                refused=admin_refused,
            )
        )
    probes += [
        Probe(
            READ_ADMIN,
            "admin story page (draft)",
            lambda w: w.client.get(reverse("admin:articles_article_change", args=[w.draft.pk])),
            shows_secret,
            refused=admin_refused,
        ),
        Probe(
            READ_ADMIN,
            "admin story history (draft)",
            lambda w: w.client.get(reverse("admin:articles_article_history", args=[w.draft.pk])),
            answered,
            refused=admin_refused,
        ),
        Probe(
            READ_ADMIN,
            "admin raw document's stored bytes",
            lambda w: w.client.get(reverse("admin:articles_rawdocument_raw", args=[w.raw.pk])),
            shows("Raw secret page"),
            refused=lambda w: {404} if w.role in STAFF else {302},
        ),
        Probe(
            READ_ADMIN,
            "admin raw document's page as rendered",
            lambda w: w.client.get(reverse("admin:articles_rawdocument_rendered", args=[w.raw.pk])),
            shows("Raw secret page"),
            refused=lambda w: {404} if w.role in STAFF else {302},
        ),
        Probe(
            READ_ADMIN,
            "admin entity autocomplete",
            lambda w: w.client.get(
                reverse("admin:entities_entity_autocomplete"),
                {
                    "term": "Sheikh",
                    "app_label": "entities",
                    "model_name": "entitysuggestion",
                    "field_name": "entity",
                },
            ),
            shows("Sheikh Sabah"),
            refused=admin_refused,
            needs=("entity",),
        ),
        Probe(
            "read site furniture in the admin",
            "admin list articles_sitefurniture",
            lambda w: w.client.get(reverse("admin:articles_sitefurniture_changelist")),
            shows("back to top"),
            refused=admin_refused,
            needs=("furniture",),
        ),
        Probe(
            FOLLOWED,
            "admin list sources_source",
            lambda w: w.client.get(reverse("admin:sources_source_changelist")),
            shows("KUNA wire"),
            refused=admin_refused,
            needs=("source",),
        ),
        Probe(
            FOLLOWED,
            "admin list sources_seenitem",
            lambda w: w.client.get(reverse("admin:sources_seenitem_changelist")),
            shows("kuna.test/2015/talks"),
            refused=admin_refused,
            needs=("seen_item",),
        ),
    ]
    return probes


def _admin_ingest() -> list[Probe]:
    url = reverse("admin:articles_rawdocument_ingest")
    page = "Pasted story about the harbour.\n\nIts second paragraph."
    return [
        Probe(SEND, "admin ingest form (GET)", lambda w: w.client.get(url), answered, refused=admin_refused),
        Probe(
            SEND,
            "admin ingest form: paste text",
            lambda w: w.client.post(url, {"text": page}),
            _sent(page),
            refused=admin_refused,
        ),
        Probe(
            SEND_PUBLISH,
            "admin ingest form: paste text with Publish",
            lambda w: w.client.post(url, {"text": page, "publish": "on"}),
            _sent(page),
            refused=lambda w: (
                {200} if w.role in STAFF and w.user.has_perm("articles.add_rawdocument") else admin_refused(w)
            ),
        ),
    ]


def _edit_story(attr: str, **changes):
    def act(w: World):
        article = getattr(w, attr)
        url = reverse("admin:articles_article_change", args=[article.pk])
        if w.role in STAFF and w.user.has_perm("articles.view_article"):
            return w.form_post(url, **changes)
        return w.client.post(url, changes)

    return act


def _headline_is(attr: str, headline: str):
    def done(w: World, response) -> bool:
        return _reload(getattr(w, attr)).headline == headline

    return done


def _body_fixed(attr: str):
    def done(w: World, response) -> bool:
        return _reload(getattr(w, attr)).body_text.count("Oil rose.") == 1

    return done


def _revert(attr: str):
    def act(w: World):
        article = getattr(w, attr)
        original = article.headline
        article.headline = "Changed by the desk"
        article.save()
        w.reverted_to = original
        record = article.history.order_by("history_date").first()
        return w.client.post(
            reverse("admin:articles_article_history", args=[article.pk]), {"revert": record.history_id}
        )

    return act


def _add_story(w: World):
    url = reverse("admin:articles_article_add")
    data = {"headline": "A story written at the desk", "slug": "desk-story", "body_text": "One paragraph."}
    if w.role in STAFF and w.user.has_perm("articles.add_article"):
        return w.form_post(url, **data)
    return w.client.post(url, data)


def _admin_stories() -> list[Probe]:
    fix = "admin:articles_article_fix"
    probes = [
        Probe(
            EDIT,
            "admin add a story",
            _add_story,
            lambda w, r: Article.objects.filter(slug="desk-story").exists(),
            ok={302},
            refused=admin_refused,
        ),
        Probe(
            EDIT,
            "admin edit a draft",
            _edit_story("draft", headline="Edited headline"),
            _headline_is("draft", "Edited headline"),
            ok={302},
            refused=admin_refused,
        ),
        Probe(
            EDIT,
            "admin fix a draft's flag",
            lambda w: w.client.post(reverse(fix, args=[w.flagged_draft.pk, 0])),
            _body_fixed("flagged_draft"),
            ok={302},
            refused=admin_refused,
        ),
        Probe(
            EDIT,
            "admin revert a draft",
            _revert("draft"),
            lambda w, r: _reload(w.draft).headline == w.reverted_to,
            ok={302},
            refused=admin_refused,
        ),
        Probe(
            EDIT_LIVE,
            "admin edit a published story",
            _edit_story("published", headline="Edited headline"),
            _headline_is("published", "Edited headline"),
            ok={302},
            refused=admin_refused,
        ),
        Probe(
            EDIT_LIVE,
            "admin edit a scheduled story",
            lambda w: (
                setattr(w, "scheduled", w.story(S.SCHEDULED))
                or _edit_story("scheduled", headline="Edited headline")(w)
            ),
            _headline_is("scheduled", "Edited headline"),
            ok={302},
            refused=admin_refused,
        ),
        Probe(
            EDIT_LIVE,
            "admin fix a published story's flag",
            lambda w: w.client.post(reverse(fix, args=[w.flagged_published.pk, 0])),
            _body_fixed("flagged_published"),
            ok={302},
            refused=admin_refused,
        ),
        Probe(
            EDIT_LIVE,
            "admin revert a published story",
            _revert("published"),
            lambda w, r: _reload(w.published).headline == w.reverted_to,
            ok={302},
            refused=admin_refused,
        ),
        Probe(
            TIMING,
            "admin set a draft's expiry",
            lambda w: _edit_story("draft", expire_at_0="2030-01-01", expire_at_1="00:00:00")(w),
            lambda w, r: _reload(w.draft).expire_at is not None,
            ok={302},
            # Without the permission the fields are read-only: the rest saves, they do not.
            refused=lambda w: (
                {302} if w.role in STAFF and w.user.has_perm("articles.change_article") else admin_refused(w)
            ),
        ),
        Probe(
            DELETE,
            "admin delete a story",
            lambda w: w.client.post(
                reverse("admin:articles_article_delete", args=[w.draft.pk]), {"post": "yes"}
            ),
            lambda w, r: _reload(w.draft) is None,
            ok={302},
            refused=admin_refused,
        ),
        Probe(
            DELETE,
            "admin action delete_selected (stories)",
            lambda w: w.action("articles_article", "delete_selected", [w.draft], post="yes"),
            lambda w, r: _reload(w.draft) is None,
            ok={302},
            refused=action_refused("articles.view_article"),
        ),
        Probe(
            EDIT,
            "admin pin a related link on a draft",
            lambda w: _pin(w, w.draft),
            lambda w, r: RelatedLink.objects.filter(
                from_article=w.draft, kind=RelatedLink.Kind.PINNED
            ).exists(),
            ok={302},
            refused=admin_refused,
        ),
    ]
    return probes


def _pin(w: World, article: Article):
    url = reverse("admin:articles_article_change", args=[article.pk])
    changes = {
        "related_links-TOTAL_FORMS": "1",
        "related_links-0-kind": RelatedLink.Kind.PINNED,
        "related_links-0-url": "https://example.test/background",
        "related_links-0-title": "Background",
        "related_links-0-position": "0",
    }
    if w.role in STAFF and w.user.has_perm("articles.view_article"):
        return w.form_post(url, **changes)
    return w.client.post(url, changes)


def _admin_desk() -> list[Probe]:
    def queued(w, r):
        from django.contrib.admin.models import LogEntry

        return LogEntry.objects.filter(
            object_id=str(w.raw.pk), change_message__startswith="Sent back"
        ).exists()

    return [
        Probe(
            REEXTRACT,
            "admin action reextract_raw_documents",
            lambda w: w.action("articles_rawdocument", "reextract_raw_documents", [w.raw]),
            queued,
            ok={302},
            refused=action_refused("articles.view_rawdocument"),
        ),
        Probe(
            REEXTRACT,
            "admin action reextract_articles",
            lambda w: w.action("articles_article", "reextract_articles", [w.raw.article]),
            queued,
            ok={302},
            refused=action_refused("articles.view_article"),
        ),
        Probe(
            REEXTRACT,
            "admin action reextract_articles_discarding_edits",
            lambda w: w.action("articles_article", "reextract_articles_discarding_edits", [w.raw.article]),
            queued,
            ok={302},
            refused=action_refused("articles.view_article"),
        ),
        Probe(
            REEXTRACT,
            "admin change a raw document",
            lambda w: _change(
                w, "articles_rawdocument", w.raw, "articles.view_rawdocument", reference_date="2015-09-28"
            ),
            lambda w, r: _reload(w.raw).reference_date == dt.date(2015, 9, 28),
            ok={302},
            refused=admin_refused,
        ),
        Probe(
            AGENCIES,
            "admin add an agency",
            lambda w: _add(w, "articles_agency", "articles.add_agency", name="Gulf Wire", slug="gulf-wire"),
            lambda w, r: Agency.objects.filter(slug="gulf-wire").exists(),
            ok={302},
            refused=admin_refused,
        ),
        Probe(
            AGENCIES,
            "admin change an agency",
            lambda w: _change(
                w, "articles_agency", w.agency, "articles.view_agency", website="https://kuna.test/"
            ),
            lambda w, r: _reload(w.agency).website == "https://kuna.test/",
            ok={302},
            refused=admin_refused,
        ),
        Probe(
            "delete agencies",
            "admin delete an agency",
            lambda w: w.client.post(
                reverse("admin:articles_agency_delete", args=[w.agency.pk]), {"post": "yes"}
            ),
            lambda w, r: _reload(w.agency) is None,
            ok={302},
            refused=admin_refused,
        ),
        Probe(
            FURNITURE,
            "admin add site furniture",
            lambda w: _add(
                w,
                "articles_sitefurniture",
                "articles.add_sitefurniture",
                site="news.test",
                pattern="Share this story",
            ),
            lambda w, r: SiteFurniture.objects.filter(pattern="share this story").exists(),
            ok={302},
            refused=admin_refused,
        ),
        Probe(
            FURNITURE,
            "admin action disable_furniture",
            lambda w: w.action("articles_sitefurniture", "disable_furniture", [w.furniture]),
            lambda w, r: not _reload(w.furniture).enabled,
            ok={302},
            refused=action_refused("articles.view_sitefurniture"),
        ),
        Probe(
            FURNITURE,
            "admin action enable_furniture",
            lambda w: w.action("articles_sitefurniture", "enable_furniture", [w.disabled_furniture]),
            lambda w, r: _reload(w.disabled_furniture).enabled,
            ok={302},
            refused=action_refused("articles.view_sitefurniture"),
        ),
        Probe(
            FOLLOW,
            "admin add a followed source",
            # Posted as it is: the form's "url" field would clash with ``_add``'s own argument.
            lambda w: w.client.post(
                reverse("admin:sources_source_add"),
                {
                    "url": "https://wire.test/feed.xml",
                    "kind": "auto",
                    "poll_interval": "900",
                    "enabled": "on",
                },
            ),
            lambda w, r: Source.objects.filter(url="https://wire.test/feed.xml").exists(),
            ok={302},
            refused=admin_refused,
        ),
        Probe(
            FOLLOW,
            "admin change a followed source",
            lambda w: _change(w, "sources_source", w.source, "sources.view_source", poll_interval="1800"),
            lambda w, r: _reload(w.source).poll_interval == 1800,
            ok={302},
            refused=admin_refused,
        ),
        Probe(
            FOLLOW,
            "admin action disable (followed sources)",
            lambda w: w.action("sources_source", "disable", [w.source]),
            lambda w, r: not _reload(w.source).enabled,
            ok={302},
            refused=action_refused("sources.view_source"),
        ),
        Probe(
            FOLLOW,
            "admin action enable (followed sources)",
            lambda w: w.action("sources_source", "enable", [w.disabled_source]),
            lambda w, r: _reload(w.disabled_source).enabled,
            ok={302},
            refused=action_refused("sources.view_source"),
        ),
        Probe(
            "delete followed sources",
            "admin action delete_selected (followed sources)",
            lambda w: w.action("sources_source", "delete_selected", [w.source], post="yes"),
            lambda w, r: _reload(w.source) is None,
            ok={302},
            refused=action_refused("sources.view_source"),
        ),
        Probe(
            "delete site furniture",
            "admin action delete_selected (site furniture)",
            lambda w: w.action("articles_sitefurniture", "delete_selected", [w.furniture], post="yes"),
            lambda w, r: _reload(w.furniture) is None,
            ok={302},
            refused=action_refused("articles.view_sitefurniture"),
        ),
        Probe(
            ENTITIES,
            "admin add an entity",
            lambda w: _add(
                w,
                "entities_entity",
                "entities.add_entity",
                name="Nasser Al-Mohammed",
                slug="nasser",
                type="person",
                status="approved",
                **{"aliases-TOTAL_FORMS": "0"},
            ),
            lambda w, r: Entity.objects.filter(slug="nasser").exists(),
            ok={302},
            refused=admin_refused,
        ),
        Probe(
            ENTITIES,
            "admin change an entity",
            lambda w: _change(
                w, "entities_entity", w.entity, "entities.view_entity", description="Emir of Kuwait."
            ),
            lambda w, r: _reload(w.entity).description == "Emir of Kuwait.",
            ok={302},
            refused=admin_refused,
        ),
        Probe(
            ENTITIES,
            "admin action block_entities",
            lambda w: w.action("entities_entity", "block_entities", [w.entity]),
            lambda w, r: _reload(w.entity).status == Entity.Status.BLOCKED,
            ok={302},
            refused=action_refused("entities.view_entity"),
        ),
        Probe(
            ENTITIES,
            "admin action approve_entities",
            lambda w: w.action("entities_entity", "approve_entities", [w.blocked]),
            lambda w, r: _reload(w.blocked).status == Entity.Status.APPROVED,
            ok={302},
            refused=action_refused("entities.view_entity"),
        ),
        Probe(
            ENTITIES,
            "admin action merge_entities",
            lambda w: w.action(
                "entities_entity",
                "merge_entities",
                [w.entity, other := EntityFactory(name="Sabah Al-Ahmad")],
                confirm="yes",
                target=other.pk,
            ),
            lambda w, r: _reload(w.entity) is None,
            ok={302},
            refused=action_refused("entities.view_entity"),
        ),
        Probe(
            ENTITIES,
            "admin add an alias",
            lambda w: _add(w, "entities_alias", "entities.add_alias", entity=w.entity.pk, text="Abu Nasser"),
            lambda w, r: Alias.objects.filter(text="Abu Nasser").exists(),
            ok={302},
            refused=admin_refused,
        ),
        Probe(
            ENTITIES,
            "admin delete an alias",
            lambda w: w.client.post(
                reverse("admin:entities_alias_delete", args=[AliasFactory(text="Old alias").pk]),
                {"post": "yes"},
            ),
            lambda w, r: not Alias.objects.filter(text="Old alias").exists(),
            ok={302},
            refused=admin_refused,
        ),
        Probe(
            "delete entities",
            "admin delete an entity",
            lambda w: w.client.post(
                reverse("admin:entities_entity_delete", args=[w.entity.pk]), {"post": "yes"}
            ),
            lambda w, r: _reload(w.entity) is None,
            ok={302},
            refused=admin_refused,
        ),
        Probe(
            SUGGESTIONS,
            "admin action approve_suggestions",
            lambda w: w.action("entities_entitysuggestion", "approve_suggestions", [w.suggestion]),
            lambda w, r: _reload(w.suggestion).status == EntitySuggestion.Status.APPROVED,
            ok={302},
            refused=action_refused("entities.view_entitysuggestion"),
        ),
        Probe(
            SUGGESTIONS,
            "admin action alias_suggestions",
            lambda w: w.action(
                "entities_entitysuggestion",
                "alias_suggestions",
                [w.suggestion],
                confirm="yes",
                entity=w.entity.pk,
            ),
            lambda w, r: _reload(w.suggestion).status == EntitySuggestion.Status.ALIASED,
            ok={302},
            refused=action_refused("entities.view_entitysuggestion"),
        ),
        Probe(
            SUGGESTIONS,
            "admin action block_suggestions",
            lambda w: w.action("entities_entitysuggestion", "block_suggestions", [w.suggestion]),
            lambda w, r: _reload(w.suggestion).status == EntitySuggestion.Status.BLOCKED,
            ok={302},
            refused=action_refused("entities.view_entitysuggestion"),
        ),
        Probe(
            SUGGESTIONS,
            "admin correct a suggestion's type",
            lambda w: _change(
                w,
                "entities_entitysuggestion",
                w.suggestion,
                "entities.view_entitysuggestion",
                type="organization",
            ),
            lambda w, r: _reload(w.suggestion).type == "organization",
            ok={302},
            refused=admin_refused,
        ),
        Probe(
            "start re-tag jobs",
            "admin re-tag all articles",
            lambda w: w.client.post(reverse("admin:entities_retagjob_retag_all")),
            lambda w, r: RetagJob.objects.exists(),
            ok={302},
            refused=admin_refused,
        ),
        Probe(
            "start re-tag jobs",
            "admin action retag_articles",
            lambda w: w.action("articles_article", "retag_articles", [w.published]),
            lambda w, r: RetagJob.objects.exists(),
            ok={302},
            refused=action_refused("articles.view_article"),
        ),
        Probe(
            "manage users and groups",
            "admin add a user",
            lambda w: w.client.post(
                reverse("admin:auth_user_add"),
                {
                    "username": "newcomer",
                    "password1": "a long pass phrase 42",
                    "password2": "a long pass phrase 42",
                    "usable_password": "true",
                },
            ),
            lambda w, r: User.objects.filter(username="newcomer").exists(),
            ok={302},
            refused=admin_refused,
        ),
        Probe(
            "manage users and groups",
            "admin give a user a group",
            lambda w: _change(
                w,
                "auth_user",
                UserFactory(username="newcomer"),
                "auth.view_user",
                groups=str(Group.objects.get(name=roles.CHIEF_EDITOR).pk),
            ),
            lambda w, r: User.objects.filter(username="newcomer", groups__name=roles.CHIEF_EDITOR).exists(),
            ok={302},
            refused=admin_refused,
        ),
    ]


def _add(w: World, model: str, permission: str, **data):
    url = reverse(f"admin:{model}_add")
    if w.role in STAFF and w.user.has_perm(permission):
        return w.form_post(url, **data)
    return w.client.post(url, data)


def _change(w: World, model: str, obj, view_permission: str, **changes):
    url = reverse(f"admin:{model}_change", args=[obj.pk])
    if w.role in STAFF and w.user.has_perm(view_permission):
        return w.form_post(url, **changes)
    return w.client.post(url, changes)


def _admin_tokens() -> list[Probe]:
    return [
        Probe(
            TOKENS,
            "admin add an API token",
            lambda w: w.client.post(
                reverse("admin:partners_apitoken_add"),
                {"name": "Harbour Times", "user": w.partner_account.pk},
            ),
            lambda w, r: ApiToken.objects.filter(name="Harbour Times").exists() and b"nr_" in r.content,
            refused=admin_refused,
        ),
        Probe(
            TOKENS,
            "admin action revoke (API tokens)",
            lambda w: w.action("partners_apitoken", "revoke", [w.token]),
            lambda w, r: _reload(w.token).revoked_at is not None,
            ok={302},
            refused=action_refused("partners.view_apitoken"),
        ),
    ]


PROBES = [
    *_api_reads(),
    *_api_writes(),
    *_moves(),
    *(
        replace(probe, admin=True)
        for probe in (*_admin_reads(), *_admin_ingest(), *_admin_stories(), *_admin_desk(), *_admin_tokens())
    ),
]


@pytest.fixture(autouse=True)
def _groups(db, settings):
    # Each probe signs a user in: a slow password hash per test would be most of the file's time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    roles.roles_sync()


def policy_table() -> str:
    """``POLICY`` as the Markdown table docs/operations.md shows."""
    lines = [
        "| what | " + " | ".join(ROLES) + " |",
        "| --- |" + " :-: |" * len(ROLES),
    ]
    for rule, roles_allowed in POLICY.items():
        lines.append(
            f"| {rule} | " + " | ".join("✓" if role in roles_allowed else "—" for role in ROLES) + " |"
        )
    return "\n".join(lines)


def test_the_operations_guide_shows_this_policy():
    guide = (Path(__file__).resolve().parent.parent / "docs" / "operations.md").read_text(encoding="utf-8")
    assert policy_table() in guide, "docs/operations.md's table differs from POLICY: paste policy_table()"


def test_every_rule_is_probed_and_every_probe_has_a_rule():
    assert {probe.rule for probe in PROBES} == set(POLICY)
    assert len({probe.name for probe in PROBES}) == len(PROBES)


def test_every_move_of_the_workflow_is_probed():
    from articles import workflow

    assert set(MOVES) == set(workflow.MOVES)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("probe", PROBES, ids=str)
def test_policy(probe: Probe, role: str):
    world = World(role)
    allowed = probe.allows(role)

    for name in probe.needs:
        getattr(world, name)

    response = probe.act(world)

    expected = probe.ok if allowed else probe.refused(world)
    assert response.status_code in expected, (
        f"{role} {'may' if allowed else 'may not'} {probe.rule!r}: {probe.name} answered "
        f"{response.status_code}, expected {sorted(expected)}: {response.content[:300]!r}"
    )
    assert probe.done(world, response) == allowed, (
        f"{role} {'may' if allowed else 'may not'} {probe.rule!r}, yet {probe.name} "
        f"{'did not happen' if allowed else 'happened'}"
    )
