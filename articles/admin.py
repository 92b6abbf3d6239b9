"""The editors' admin: articles with their extraction reports, raw documents, agencies, site furniture."""

import codecs
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ORDER_VAR, PAGE_VAR
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, IntegerField, Value, When
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.views.decorators.clickjacking import xframe_options_sameorigin

from articles import clustering, counters, furniture, hooks, services, workflow
from articles.extraction.cleanup import MAX_SITE_FURNITURE_WORDS, furniture_key
from articles.filters import (
    SEARCH_WINDOWS,
    article_text_search,
    newest_first_search_ids,
    search_windows,
)
from articles.flags import flag_fix_label, flag_note
from articles.models import Agency, Article, ArticleNote, RawDocument, RelatedLink, SiteFurniture
from articles.related.embed import related_embed_snippets
from articles.revisions import article_revisions
from articles.selectors import ARTICLE_ORDERING
from articles.source_page import source_page
from newsroom.paginators import CappedCountPaginator

# Days of view figures on an article's page.
DAILY_VIEWS_SHOWN = 14

admin.site.site_header = f"{settings.SITE_NAME} admin"
admin.site.site_title = f"{settings.SITE_NAME} admin"


class NewestFirstSearchPaginator(CappedCountPaginator):
    """A search's list, newest first: read and counted only as far back as the page asked for lies.

    ``search(since)`` is the list's search restricted to stories published from ``since`` on,
    ``rows(ids)`` the list's rows of those ids, ``windows`` the periods tried before the whole
    archive (``newest_first_search_ids`` says why that answers exactly). The count stops at
    ``SEARCH_COUNT_CAP`` and says "448+" where older matches were not counted.
    """

    SEARCH_COUNT_CAP = 1_000

    def __init__(
        self,
        object_list,
        per_page,
        orphans=0,
        allow_empty_first_page=True,
        *,
        search=None,
        rows=None,
        windows=SEARCH_WINDOWS,
        page_number=1,
    ):
        super().__init__(object_list, per_page, orphans, allow_empty_first_page)
        self.search = search
        self.rows = rows
        self.windows = windows
        self.page_number = page_number
        if search is not None:
            self.count_cap = self.SEARCH_COUNT_CAP

    @cached_property
    def newest_ids(self) -> tuple[list[int], bool]:
        return newest_first_search_ids(
            self.search, self.page_number * self.per_page, self.count_cap, windows=self.windows
        )

    @cached_property
    def count(self):
        if self.search is None:
            return super().count
        return len(self.newest_ids[0])

    @property
    def capped(self) -> bool:
        return super().capped or (self.search is not None and not self.newest_ids[1])

    def page(self, number):
        if self.search is None:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return self._get_page(list(self.rows(self.newest_ids[0][bottom:top])), number, self)


def _page_number(request) -> int:
    """The list page asked for, as the change list reads it (a bad value is its to refuse)."""
    try:
        return max(int(request.GET.get(PAGE_VAR, 1)), 1)
    except ValueError:
        return 1


def _html_list(items, template="<li>{}</li>"):
    if not items:
        return "—"
    return format_html("<ul>{}</ul>", format_html_join("", template, items))


# --- Articles ----------------------------------------------------------------------


class RelatedLinkForm(forms.ModelForm):
    class Meta:
        model = RelatedLink
        fields = ["kind", "to_article", "url", "title", "position"]
        help_texts = {
            "kind": "Pinned links come first, in position order; a blocked story or URL never appears.",
            "position": "Order of pinned links (0 first).",
        }

    def clean(self):
        data = super().clean()
        if not data.get("to_article") and not data.get("url"):
            raise forms.ValidationError("Choose a story or give a URL.")
        return data


class NameListField(forms.CharField):
    """A list of names typed one per line (the byline's people), not as JSON."""

    widget = forms.Textarea(attrs={"rows": 2})

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        return [line.strip() for line in (super().to_python(value) or "").splitlines() if line.strip()]


class ArticleAdminForm(forms.ModelForm):
    """The article form, with what the move buttons need: the time to schedule for, a kill notice."""

    MOVE_BUTTON = "_move"
    MOVE_FIELDS = ("move_publish_at", "move_notice", "move_note_kind", "move_note")

    authors = NameListField(required=False, help_text="The people the byline names, one per line, in order.")
    move_publish_at = forms.SplitDateTimeField(
        required=False,
        label="Schedule for",
        widget=admin.widgets.AdminSplitDateTime,
        help_text="For “Save and schedule”: when the story goes live.",
    )
    move_notice = forms.CharField(
        required=False,
        label="Kill notice",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For “Save and kill”: what readers are told in place of the story.",
    )

    move_note_kind = forms.ChoiceField(
        required=False, label="Note", choices=ArticleNote.Kind.choices, initial=ArticleNote.Kind.CORRECTION
    )
    move_note = forms.CharField(
        required=False,
        label="Note text",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For “Save and add a correction or update”: shown to readers with its time.",
    )

    class Meta:
        model = Article
        fields = [
            "headline",
            "slug",
            "standfirst",
            "authors",
            "section",
            "lead_image_url",
            "lead_image_alt",
            "agency",
            "published_at",
            "published_precision",
            "embargo_until",
            "expire_at",
            "dateline_text",
            "dateline_place",
            "body_text",
            "language",
            "source_url",
            "raw_document",
        ]

    def clean(self):
        data = super().clean()
        move = self.data.get(self.MOVE_BUTTON)
        if move == "schedule" and not data.get("move_publish_at"):
            self.add_error("move_publish_at", "Give the time the story goes live.")
        if move == "kill" and not (data.get("move_notice") or "").strip():
            self.add_error("move_notice", "Tell readers why the story was withdrawn.")
        if move == "correct" and not (data.get("move_note") or "").strip():
            self.add_error("move_note", "Write the correction or update readers will see.")
        return data

    @classmethod
    def schedule_time(cls, post):
        field = cls.base_fields["move_publish_at"]
        return field.clean([post.get("move_publish_at_0", ""), post.get("move_publish_at_1", "")])


class RelatedLinkInline(admin.TabularInline):
    """An article's related links: pin (kind "Pinned by an editor"), block, reorder; computed ones with why."""

    model = RelatedLink
    fk_name = "from_article"
    form = RelatedLinkForm
    fields = ["kind", "to_article", "url", "title", "position", "score", "why"]
    readonly_fields = ["score", "why"]
    autocomplete_fields = ["to_article"]
    extra = 0
    verbose_name = "related link"
    verbose_name_plural = "related links (pinned first, blocked never shown, computed with their reasons)"

    def get_queryset(self, request):
        rank = Case(
            When(kind=RelatedLink.Kind.PINNED, then=Value(0)),
            When(kind=RelatedLink.Kind.BLOCKED, then=Value(1)),
            When(kind=RelatedLink.Kind.FOUND_ON_PAGE, then=Value(2)),
            default=Value(3),
            output_field=IntegerField(),
        )
        queryset = super().get_queryset(request).select_related("to_article")
        return queryset.annotate(kind_rank=rank).order_by("kind_rank", "position", "-score", "id")

    @admin.display(description="Why")
    def why(self, obj):
        reasons = obj.reasons or {}
        if not reasons.get("scorer"):
            return "—"
        entities = ", ".join(
            f"{e['name'] or e['id']} {e['weight']:.2f}" for e in reasons.get("entities", [])[:5]
        )
        terms = ", ".join(t["term"] for t in reasons.get("terms", [])[:5])
        return format_html(
            "entities {} ({}) · text {} ({}) · recency {}",
            f"{reasons.get('entity_score', 0):.2f}",
            entities or "none shared",
            f"{reasons.get('text_score', 0):.2f}",
            terms or "no shared terms",
            f"{reasons.get('recency', 0):.2f}",
        )


def _bulk_move(name: str):
    """An admin action that makes the move ``name`` for each selected story, saying which it could not."""
    move = workflow.MOVES[name]

    def action(modeladmin, request, queryset):
        moved, refused = [], []
        for article in queryset.order_by("pk"):
            try:
                services.article_move(article=article, name=name, by=request.user)
            except (workflow.MoveRefused, PermissionDenied) as exc:
                refused.append(f"{article}: {exc}")
            else:
                moved.append(article)
        if moved:
            modeladmin.message_user(request, f"{move.done}: {len(moved)} article(s).", messages.SUCCESS)
        for reason in refused:
            modeladmin.message_user(request, reason, messages.ERROR)

    action.__name__ = f"{name}_articles"
    return admin.action(description=f"{move.label}: the selected articles", permissions=["change"])(action)


# The moves that need nothing more than the story (scheduling needs a time, a kill a notice:
# those are made from the story's own page).
MOVE_ACTIONS = [
    _bulk_move(name)
    for name in ("submit", "mark_ready", "send_back", "publish", "unschedule", "unpublish", "archive")
]


def _reextract(modeladmin, request, queryset, *, discard_edits: bool):
    raw_documents = RawDocument.objects.filter(article__in=queryset).only("pk")
    count = services.raw_documents_reextract(
        raw_documents=raw_documents, by=request.user, discard_edits=discard_edits
    )
    skipped = queryset.filter(raw_document__isnull=True).count()
    message = f"Queued {count} article(s) for re-extraction"
    message += ", replacing the desk's edits." if discard_edits else "; the desk's edits are kept."
    if skipped:
        message += f" {skipped} had no raw document and were left as they are."
    modeladmin.message_user(request, message, messages.SUCCESS if count else messages.WARNING)


@admin.action(
    description="Re-extract from the raw documents, keeping the desk's edits", permissions=["reextract"]
)
def reextract_articles(modeladmin, request, queryset):
    _reextract(modeladmin, request, queryset, discard_edits=False)


@admin.action(
    description="Re-extract from the raw documents, replacing the desk's edits", permissions=["reextract"]
)
def reextract_articles_discarding_edits(modeladmin, request, queryset):
    _reextract(modeladmin, request, queryset, discard_edits=True)


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["headline", "agency", "status", "published_at", "views", "created_at"]
    list_filter = ["status", "published_precision", "agency"]
    list_select_related = ["agency"]
    search_fields = ["headline"]
    date_hierarchy = "published_at"
    show_full_result_count = False
    paginator = CappedCountPaginator
    raw_id_fields = ["raw_document"]
    prepopulated_fields = {"slug": ["headline"]}
    # Publishing goes through the actions, so it runs the same service as everywhere else.
    readonly_fields = [
        "status",
        "publish_at",
        "kill_notice",
        "legacy_view_count",
        "view_count",
        "daily_views",
        "raw_document_links",
        "report_removed",
        "report_flagged",
        "report_warnings",
        "possible_duplicate",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (None, {"fields": ["headline", "slug", "agency", "published_at", "published_precision"]}),
        ("Workflow", {"fields": ["status", "publish_at", "embargo_until", "expire_at", "kill_notice",
                                 "move_publish_at", "move_notice", "move_note_kind", "move_note"]}),
        ("Dateline", {"fields": ["dateline_text", "dateline_place"]}),
        ("Presentation", {"fields": ["standfirst", "authors", "section", "lead_image_url", "lead_image_alt"]}),
        ("Body", {"fields": ["body_text", "language", "source_url"]}),
        ("Views", {"fields": ["legacy_view_count", "view_count", "daily_views"]}),
        ("Extraction", {"fields": ["raw_document", "raw_document_links", "report_removed", "report_flagged",
                                   "report_warnings", "possible_duplicate"]}),
        ("History", {"fields": ["created_at", "updated_at"]}),
    ]  # fmt: skip
    inlines = [RelatedLinkInline]
    actions = [*MOVE_ACTIONS, reextract_articles, reextract_articles_discarding_edits]
    # Save first in the form: Enter in a field saves, never a flag's fix or a move further down.
    save_on_top = True
    # Newest first, undated last, as the public lists: the order of the indexes that serve it.
    ordering = ARTICLE_ORDERING
    form = ArticleAdminForm
    change_form_template = "admin/articles/article/change_form.html"

    # Other apps add filters, read-only sections and actions through ``articles.hooks``.

    def get_list_filter(self, request):
        return [*super().get_list_filter(request), *hooks.registered(hooks.ADMIN_LIST_FILTERS)]

    def get_readonly_fields(self, request, obj=None):
        added = [field for _, fields in hooks.registered(hooks.ADMIN_FIELDSETS) for field in fields]
        if not request.user.has_perm(workflow.PUBLISH):
            # Setting when a story goes live or comes down is scheduling.
            added += sorted(workflow.TIMING_FIELDS)
        return [*super().get_readonly_fields(request, obj), *added]

    def get_fieldsets(self, request, obj=None):
        added = [
            (title, {"fields": list(fields)}) for title, fields in hooks.registered(hooks.ADMIN_FIELDSETS)
        ]
        fieldsets = list(super().get_fieldsets(request, obj))
        # Before "History", which stays last.
        return [*fieldsets[:-1], *added, fieldsets[-1]]

    def get_actions(self, request):
        actions = super().get_actions(request)
        for action, permissions in hooks.registered(hooks.ADMIN_ACTIONS):
            if request.user.has_perms(permissions):
                actions[action.__name__] = (action, action.__name__, action.short_description)
        return actions

    def has_change_permission(self, request, obj=None):
        # A live story's edits reach readers as they are saved (workflow.edit_permissions).
        status = obj.status if obj is not None else Article.Status.DRAFT
        return super().has_change_permission(request, obj) and request.user.has_perms(
            workflow.edit_permissions(status=status)
        )

    def has_reextract_permission(self, request):
        return request.user.has_perms(["articles.change_rawdocument", "articles.change_article"])

    def get_urls(self):
        fix = path(
            "<int:object_id>/fix/<int:index>/",
            self.admin_site.admin_view(self.fix_view),
            name="articles_article_fix",
        )
        return [fix, *super().get_urls()]

    def fix_view(self, request, object_id, index):
        """One click on a flag's fix: the body fixed as a new revision, back on the story's page."""
        article = self.get_object(request, str(object_id))
        if article is None:
            raise Http404("No such article.")
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        if request.method != "POST":
            return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))
        try:
            services.article_flag_fix(article=article, by=request.user, index=index)
        except (services.FixRefused, PermissionDenied) as exc:
            self.message_user(request, str(exc), messages.ERROR)
        else:
            self.message_user(request, "Fixed; the flag is settled.", messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))

    def get_search_results(self, request, queryset, search_term):
        # Headline and body, through the full-text index on PostgreSQL (the same search as the API's ``q``).
        # Kept for the paginator, which reads a newest-first page only as far back as it lies.
        request.article_search = (queryset, search_term)
        return article_text_search(queryset, search_term), False

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        searched = getattr(request, "article_search", None)
        search = rows = None
        windows = SEARCH_WINDOWS
        # Only in the list's own order: a column sorted by hand may put old stories first.
        if searched is not None and searched[1].strip() and ORDER_VAR not in request.GET:
            base, text = searched
            related = self.get_list_select_related(request)

            def search(since):
                return article_text_search(base, text, since=since).order_by(*ARTICLE_ORDERING)

            def rows(ids):
                return base.filter(pk__in=ids).select_related(*related).order_by(*ARTICLE_ORDERING)

            # Rare words: their whole archive is cheaper to read than any period.
            windows = search_windows(base, text)
        return NewestFirstSearchPaginator(
            queryset,
            per_page,
            orphans,
            allow_empty_first_page,
            search=search,
            rows=rows,
            windows=windows,
            page_number=_page_number(request),
        )

    def history_view(self, request, object_id, extra_context=None):
        """Django's change log, under the story's revisions: each with its author, why, a diff, and revert."""
        article = self.get_object(request, unquote(object_id))
        if article is not None and request.method == "POST" and request.POST.get("revert"):
            if not self.has_change_permission(request, article):
                raise PermissionDenied
            record = article.history.filter(history_id=request.POST["revert"]).first()
            if record is None:
                raise Http404("No such revision.")
            services.article_revert(article=article, record=record, by=request.user)
            self.message_user(request, f"Reverted to the revision of {record.history_date:%Y-%m-%d %H:%M}.")
            return HttpResponseRedirect(request.path)
        context = {
            "revisions": article_revisions(article) if article is not None else [],
            "can_revert": article is not None and self.has_change_permission(request, article),
            **(extra_context or {}),
        }
        return super().history_view(request, object_id, context)

    def save_model(self, request, obj, form, change):
        fields = [name for name in form.changed_data if name not in ArticleAdminForm.MOVE_FIELDS]
        services.article_save(article=obj, by=request.user, fields=fields, created=not change)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # The moves this editor can make from the story's state: buttons that save, then move.
        status = obj.status if obj is not None else Article.Status.DRAFT
        context["moves"] = [
            move for move in workflow.moves_from(status) if request.user.has_perm(move.permission)
        ]
        # The page it came from, rendered in a sandboxed frame beside the form.
        if obj is not None and obj.raw_document_id and request.user.has_perm("articles.view_rawdocument"):
            context["source_page_url"] = reverse(
                "admin:articles_rawdocument_rendered", args=[obj.raw_document_id]
            )
        # What a partner pastes to show this story's related list on their site (docs/api.md).
        if obj is not None and obj.pk:
            context["embed_snippets"] = related_embed_snippets(
                article_id=obj.pk, site_url=request.build_absolute_uri("/")
            )
        return super().render_change_form(
            request, context, add=add, change=change, form_url=form_url, obj=obj
        )

    def response_add(self, request, obj, post_url_continue=None):
        return self._move_then(request, obj) or super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        return self._move_then(request, obj) or super().response_change(request, obj)

    def _move_then(self, request, obj):
        """After a save with one of the move buttons: make the move, and stay on the story."""
        name = request.POST.get(ArticleAdminForm.MOVE_BUTTON)
        if not name:
            return None
        data = {}
        if name == "schedule":
            data["publish_at"] = ArticleAdminForm.schedule_time(request.POST)
        elif name == "kill":
            data["notice"] = request.POST.get("move_notice", "")
        elif name == "correct":
            data["kind"] = request.POST.get("move_note_kind", ArticleNote.Kind.CORRECTION)
            data["text"] = request.POST.get("move_note", "")
        try:
            services.article_move(article=obj, name=name, by=request.user, **data)
        except (workflow.MoveRefused, PermissionDenied) as exc:
            self.message_user(request, f"Saved, but not moved: {exc}", messages.ERROR)
        else:
            self.message_user(request, f"Saved. {workflow.MOVES[name].done}.", messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[obj.pk]))

    def save_formset(self, request, form, formset, change):
        if formset.model is not RelatedLink:
            return super().save_formset(request, form, formset, change)
        links = formset.save(commit=False)
        if links or formset.deleted_objects:
            services.article_related_links_save(
                article=form.instance, by=request.user, links=links, removed=formset.deleted_objects
            )
        return None

    # The actions write the change log (``newsroom.audit``), so the form does not log again.
    def log_addition(self, request, obj, message):
        return None

    def log_change(self, request, obj, message):
        return None

    @admin.display(description="Views")
    def views(self, obj):
        return obj.total_views

    @admin.display(description="Last 14 days")
    def daily_views(self, obj):
        if obj.pk is None:
            return "—"
        # Read-only figures, not an inline: nothing here is edited, so the form posts nothing for them.
        rows = [
            (day.day.isoformat(), day.views, day.unique_visitors)
            for day in counters.article_view_days(article=obj, days=DAILY_VIEWS_SHOWN)
        ]
        pending = counters.article_pending_views(article_id=obj.pk)
        return format_html(
            '<table class="daily-views"><thead><tr><th>Day (UTC)</th><th>Views</th><th>Unique visitors</th>'
            "</tr></thead><tbody>{}</tbody></table><p>{} view(s) waiting for the next flush.</p>",
            format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td></tr>", rows),
            pending,
        )

    @admin.display(description="Raw input")
    def raw_document_links(self, obj):
        if obj.raw_document_id is None:
            return "—"
        return format_html(
            '<a href="{}">Raw document #{}</a> · <a href="{}" target="_blank" rel="noopener">View raw input</a>'
            ' · <a href="{}" target="_blank" rel="noopener">The page as its site showed it</a>',
            reverse("admin:articles_rawdocument_change", args=[obj.raw_document_id]),
            obj.raw_document_id,
            reverse("admin:articles_rawdocument_raw", args=[obj.raw_document_id]),
            reverse("admin:articles_rawdocument_rendered", args=[obj.raw_document_id]),
        )

    def _report(self, obj):
        return getattr(obj, "report", None)

    @admin.display(description="Removed lines")
    def report_removed(self, obj):
        report = self._report(obj)
        return _html_list([(line,) for line in report.removed] if report else [])

    @admin.display(description="Flagged for review")
    def report_flagged(self, obj):
        report = self._report(obj)
        rows = []
        for index, flag in enumerate(report.flagged if report else []):
            note, label = flag_note(flag), flag_fix_label(flag)
            # A button of the story's form, posting to the fix alone (unsaved edits are not sent there).
            fix = (
                format_html(
                    ' <button type="submit" class="button" formaction="{}" formmethod="post" name="_fix">{}</button>',
                    reverse("admin:articles_article_fix", args=[obj.pk, index]),
                    label,
                )
                if label
                else ""
            )
            rows.append((note.title, note.text, fix))
        return _html_list(rows, "<li><strong>{}</strong>: {}{}</li>")

    @admin.display(description="Warnings")
    def report_warnings(self, obj):
        report = self._report(obj)
        return _html_list([(warning,) for warning in report.warnings] if report else [])

    @admin.display(description="Possible duplicate of")
    def possible_duplicate(self, obj):
        if obj.pk is None:
            return "—"
        duplicate = clustering.article_possible_duplicate(article=obj)
        members = clustering.story_cluster_members(article=obj, limit=10)
        if duplicate is None and not members:
            return "—"
        parts = []
        if duplicate is not None:
            parts.append(
                format_html(
                    '<a href="{}">{}</a> ({})',
                    reverse("admin:articles_article_change", args=[duplicate.article.pk]),
                    duplicate.article,
                    _similarity(duplicate.similarity),
                )
            )
        if members:
            rows = [
                (reverse("admin:articles_article_change", args=[member.pk]), member, _similarity(similarity))
                for member, similarity in members
            ]
            parts.append(
                format_html(
                    "Same story cluster: {}",
                    _html_list(rows, '<li><a href="{}">{}</a> <small>{}</small></li>'),
                )
            )
        return format_html_join("", "<div>{}</div>", ((part,) for part in parts))


def _similarity(value) -> str:
    return f"similarity {value:.0%}" if value is not None else ""


# --- Raw documents ----------------------------------------------------------------------


class ContentTypeFilter(admin.SimpleListFilter):
    """Content type by family: a fixed list, so the filter needs no DISTINCT over the table."""

    title = "content type"
    parameter_name = "content_type"
    FAMILIES = {
        "html": "text/html",
        "xhtml": "application/xhtml",
        "text": "text/plain",
        "pdf": "application/pdf",
    }

    def lookups(self, request, model_admin):
        return [*((key, prefix) for key, prefix in self.FAMILIES.items()), ("other", "Other")]

    def queryset(self, request, queryset):
        value = self.value()
        if value in self.FAMILIES:
            return queryset.filter(content_type__startswith=self.FAMILIES[value])
        if value == "other":
            for prefix in self.FAMILIES.values():
                queryset = queryset.exclude(content_type__startswith=prefix)
        return queryset


@admin.action(description="Re-run extraction", permissions=["change"])
def reextract_raw_documents(modeladmin, request, queryset):
    count = services.raw_documents_reextract(raw_documents=queryset.select_related(None), by=request.user)
    modeladmin.message_user(request, f"Queued {count} document(s) for extraction again.", messages.SUCCESS)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in files if item]


class IngestForm(forms.Form):
    """Pages sent from the admin: any of files, URLs (one a line) and pasted text."""

    # An empty file is stored and fails extraction with its reason, like every other bad page.
    files = MultipleFileField(
        required=False, allow_empty_file=True, widget=MultipleFileInput(attrs={"multiple": True})
    )
    urls = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}), label="URLs, one a line")
    text = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 6}), label="Or paste a story (text or HTML)"
    )
    reference_date = forms.DateField(
        required=False, help_text="The crawl or publication date; completes datelines that give no year."
    )
    publish = forms.BooleanField(
        required=False, help_text="Publish each story as it is extracted, unless extraction flags it."
    )

    def __init__(self, *args, can_publish: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.can_publish = can_publish
        if not can_publish:
            field = self.fields["publish"]
            field.widget.attrs["disabled"] = True
            field.help_text = (
                "Publishing needs the permission to publish stories: what you send waits for an editor."
            )

    def clean_publish(self):
        # Refused as a whole, before anything is stored: no page goes in with a wish it cannot have.
        if self.cleaned_data["publish"] and not self.can_publish:
            raise forms.ValidationError(
                "You may not publish stories (that needs the permission articles.publish_article): "
                "send them without “Publish”, and an editor will publish them."
            )
        return self.cleaned_data["publish"]

    def clean_urls(self):
        urls = [line.strip() for line in self.cleaned_data["urls"].splitlines() if line.strip()]
        bad = [url for url in urls if not url.startswith(("http://", "https://"))]
        if bad:
            raise forms.ValidationError(f"Not a web address: {', '.join(bad)}")
        return urls

    def clean(self):
        data = super().clean()
        if not (data.get("files") or data.get("urls") or (data.get("text") or "").strip()):
            raise forms.ValidationError("Give a file, a URL or some text.")
        return data


@dataclass(frozen=True)
class IngestOutcome:
    source: str
    result: str
    raw_document: RawDocument | None = None
    follow_url: str = ""  # a feed or sitemap refused: where to follow it instead


def _ingest_items(form: IngestForm, *, by) -> list[IngestOutcome]:
    """Store each item through the ingest service; a refused one says why and stops nothing else."""
    data = form.cleaned_data
    items = [
        (
            upload.name,
            lambda upload=upload: (
                services.ingest_read(upload, source=upload.name),
                upload.content_type or "",
                RawDocument.SourceKind.FILE,
            ),
        )
        for upload in data["files"]
    ]
    items += [
        (url, lambda url=url: (*services.source_fetch(url), RawDocument.SourceKind.URL))
        for url in data["urls"]
    ]
    if data["text"].strip():
        text = data["text"].strip()
        kind = "text/html" if text.lstrip().startswith("<") else "text/plain"
        items.append(
            (
                "pasted text",
                lambda: (text.encode("utf-8"), f"{kind}; charset=utf-8", RawDocument.SourceKind.API),
            )
        )
    outcomes = []
    for source, read in items:
        try:
            content, content_type, kind = read()
            result = services.raw_document_ingest(
                content=content,
                source=source,
                source_kind=kind,
                content_type=content_type,
                reference_date=data["reference_date"],
                publish=data["publish"],
                by=by,
            )
        except (services.IngestError, PermissionDenied) as exc:
            outcomes.append(
                IngestOutcome(source, f"refused: {exc}", follow_url=getattr(exc, "follow_url", ""))
            )
            continue
        raw = RawDocument.objects.defer("content").select_related("article").get(pk=result.raw_document.pk)
        outcomes.append(IngestOutcome(source, "stored" if result.created else "already stored", raw))
    return outcomes


@admin.register(RawDocument)
class RawDocumentAdmin(admin.ModelAdmin):
    list_display = ["source", "status", "size", "received_at", "attempts", "short_error"]
    list_filter = ["status", "source_kind", ContentTypeFilter]
    search_fields = ["=sha256", "source"]
    date_hierarchy = "received_at"
    show_full_result_count = False
    paginator = CappedCountPaginator
    fields = [
        "source",
        "source_kind",
        "site",
        "raw_input",
        "article_link",
        "content_type",
        "encoding",
        "size",
        "sha256",
        "reference_date",
        "agency_hint",
        "publish_on_extract",
        "status",
        "error",
        "attempts",
        "interrupted",
        "received_at",
        "queued_at",
        "started_at",
        "processed_at",
    ]
    readonly_fields = [f for f in fields if f not in ("reference_date", "agency_hint")]
    actions = [reextract_raw_documents]

    def get_queryset(self, request):
        # The stored bytes can be megabytes a row; only the raw view reads them.
        return super().get_queryset(request).defer("content").select_related("article")

    change_list_template = "admin/articles/rawdocument/change_list.html"

    def has_add_permission(self, request):
        # Pages arrive through ingest ("Ingest pages", the API, commands), which stores the bytes as they came.
        return False

    def get_urls(self):
        raw_view = path(
            "<int:object_id>/raw/",
            self.admin_site.admin_view(self.raw_view),
            name="articles_rawdocument_raw",
        )
        rendered = path(
            "<int:object_id>/rendered/",
            self.admin_site.admin_view(self.rendered_view),
            name="articles_rawdocument_rendered",
        )
        ingest = path(
            "ingest/", self.admin_site.admin_view(self.ingest_view), name="articles_rawdocument_ingest"
        )
        return [ingest, raw_view, rendered, *super().get_urls()]

    @method_decorator(xframe_options_sameorigin)
    def rendered_view(self, request, object_id):
        """The page as its site showed it, for a sandboxed frame beside the story: no script, no request out.

        A text page is shown as its lines, those extraction removed struck through.
        """
        raw_document = RawDocument.objects.select_related("article__report").filter(pk=object_id).first()
        if raw_document is None or not self.has_view_permission(request, raw_document):
            raise Http404("No such raw document.")
        text = raw_document.content_bytes.decode(_codec(raw_document.encoding), errors="replace")
        article = getattr(raw_document, "article", None)
        report = getattr(article, "report", None)
        body = source_page(
            text,
            is_html="html" in raw_document.content_type or text.lstrip()[:1] == "<",
            removed=report.removed if report is not None else [],
            kept=article.paragraphs if article is not None else [],
        )
        response = HttpResponse(body, content_type="text/html; charset=utf-8")
        response["X-Content-Type-Options"] = "nosniff"
        # The frame's own sandbox and this one: no script, no form, no fetch, a unique origin.
        response["Content-Security-Policy"] = (
            "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:"
        )
        return response

    def ingest_view(self, request):
        """Send pages in from the admin: files, URLs, pasted text; each item's outcome, as ``manage.py ingest``."""
        if not request.user.has_perm("articles.add_rawdocument"):
            raise PermissionDenied
        can_publish = request.user.has_perm("articles.publish_article")
        if request.method == "POST":
            form = IngestForm(request.POST, request.FILES, can_publish=can_publish)
        else:
            form = IngestForm(can_publish=can_publish)
        outcomes = []
        if request.method == "POST" and form.is_valid():
            outcomes = _ingest_items(form, by=request.user)
        context = {
            **self.admin_site.each_context(request),
            "title": "Ingest pages",
            "opts": self.model._meta,
            "form": form,
            "outcomes": outcomes,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/articles/rawdocument/ingest.html", context)

    def raw_view(self, request, object_id):
        """The stored bytes as plain text: never rendered as HTML, whatever they hold."""
        raw_document = RawDocument.objects.filter(pk=object_id).first()
        if raw_document is None or not self.has_view_permission(request, raw_document):
            raise Http404("No such raw document.")
        text = raw_document.content_bytes.decode(_codec(raw_document.encoding), errors="replace")
        response = HttpResponse(text, content_type="text/plain; charset=utf-8")
        response["Content-Disposition"] = "inline"
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        return response

    @admin.display(description="Error")
    def short_error(self, obj):
        return Truncator(obj.error).chars(80)

    @admin.display(description="Raw input")
    def raw_input(self, obj):
        url = reverse("admin:articles_rawdocument_raw", args=[obj.pk])
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">View the stored bytes as text</a>', url
        )

    @admin.display(description="Article")
    def article_link(self, obj):
        article = getattr(obj, "article", None)
        if article is None:
            return "—"
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:articles_article_change", args=[article.pk]), article
        )


def _codec(encoding: str) -> str:
    try:
        return codecs.lookup(encoding).name if encoding else "utf-8"
    except LookupError:
        return "utf-8"


# --- Agencies ---------------------------------------------------------------------------


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "is_generic", "article_count"]
    list_filter = ["is_generic"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_count=Count("articles"))

    @admin.display(description="Articles", ordering="article_count")
    def article_count(self, obj):
        return obj.article_count


# --- Site furniture ----------------------------------------------------------------------


class SiteFurnitureForm(forms.ModelForm):
    """Editors type the line as a page shows it; it is stored in the form it is matched on."""

    class Meta:
        model = SiteFurniture
        fields = ["site", "pattern", "enabled"]

    def clean_site(self):
        site = furniture.site_key(self.cleaned_data["site"])
        if not site:
            raise forms.ValidationError("Give the site's host name, e.g. arabtimesonline.com.")
        return site

    def clean_pattern(self):
        typed = self.cleaned_data["pattern"]
        if len(typed.split()) > MAX_SITE_FURNITURE_WORDS:
            raise forms.ValidationError(
                f"Furniture lines are at most {MAX_SITE_FURNITURE_WORDS} words; longer text is never removed."
            )
        key = furniture_key(typed)
        if not key:
            raise forms.ValidationError("The line holds no words to match.")
        if key != self.instance.pattern:
            self.instance.example = typed[:500]
        return key


@admin.action(description="Enable the selected lines", permissions=["change"])
def enable_furniture(modeladmin, request, queryset):
    count = furniture.site_furniture_set_enabled(queryset=queryset, enabled=True, by=request.user)
    modeladmin.message_user(request, f"Enabled {count} line(s).", messages.SUCCESS)


@admin.action(description="Disable the selected lines", permissions=["change"])
def disable_furniture(modeladmin, request, queryset):
    count = furniture.site_furniture_set_enabled(queryset=queryset, enabled=False, by=request.user)
    modeladmin.message_user(request, f"Disabled {count} line(s).", messages.SUCCESS)


@admin.register(SiteFurniture)
class SiteFurnitureAdmin(admin.ModelAdmin):
    form = SiteFurnitureForm
    list_display = ["pattern", "site", "example", "kind", "hits", "enabled", "updated_at"]
    list_filter = ["kind", "enabled"]
    list_editable = ["enabled"]
    search_fields = ["site", "pattern", "example"]
    show_full_result_count = False
    paginator = CappedCountPaginator
    readonly_fields = ["example", "kind", "hits", "created_at", "updated_at"]
    actions = [enable_furniture, disable_furniture]

    def get_readonly_fields(self, request, obj=None):
        # A learned line is what the site showed: editors switch it off rather than rewrite it.
        if obj is not None and obj.kind == SiteFurniture.Kind.LEARNED:
            return ["site", "pattern", *self.readonly_fields]
        return self.readonly_fields
