"""The editors' admin: articles with their extraction reports, raw documents, agencies."""

import codecs

from django.conf import settings
from django.contrib import admin, messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator

from articles import services
from articles.models import Agency, Article, RawDocument, RelatedLink
from articles.related import article_keywords

admin.site.site_header = f"{settings.SITE_NAME} admin"
admin.site.site_title = f"{settings.SITE_NAME} admin"


class CappedCountPaginator(Paginator):
    """Counts at most ``COUNT_CAP`` rows, so a change list of millions never runs a full COUNT."""

    COUNT_CAP = 10_000

    @cached_property
    def count(self):
        return self.object_list.order_by()[: self.COUNT_CAP].count()


def _html_list(items, template="<li>{}</li>"):
    if not items:
        return "—"
    return format_html("<ul>{}</ul>", format_html_join("", template, items))


def _detail(detail) -> str:
    if isinstance(detail, dict):
        return "; ".join(f"{key}: {value}" for key, value in detail.items())
    return str(detail or "")


# --- Articles ----------------------------------------------------------------------


class RelatedLinkInline(admin.TabularInline):
    model = RelatedLink
    fk_name = "from_article"
    fields = ["kind", "to_article", "url", "title", "position", "score"]
    raw_id_fields = ["to_article"]
    extra = 0


@admin.action(description="Publish the selected articles")
def publish_articles(modeladmin, request, queryset):
    articles = list(queryset.exclude(status=Article.Status.PUBLISHED))
    for article in articles:
        services.article_publish(article=article)
    modeladmin.message_user(request, f"Published {len(articles)} article(s).", messages.SUCCESS)


@admin.action(description="Unpublish the selected articles")
def unpublish_articles(modeladmin, request, queryset):
    articles = list(queryset.filter(status=Article.Status.PUBLISHED))
    for article in articles:
        services.article_unpublish(article=article)
    modeladmin.message_user(request, f"Unpublished {len(articles)} article(s).", messages.SUCCESS)


@admin.action(description="Re-extract from the raw documents")
def reextract_articles(modeladmin, request, queryset):
    raw_documents = RawDocument.objects.filter(article__in=queryset).only("pk")
    count = 0
    for raw_document in raw_documents:
        services.raw_document_reextract(raw_document=raw_document)
        count += 1
    skipped = queryset.filter(raw_document__isnull=True).count()
    message = f"Queued {count} article(s) for re-extraction."
    if skipped:
        message += f" {skipped} had no raw document and were left as they are."
    modeladmin.message_user(request, message, messages.SUCCESS if count else messages.WARNING)


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
        "legacy_view_count",
        "view_count",
        "raw_document_links",
        "report_removed",
        "report_flagged",
        "report_warnings",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (None, {"fields": ["headline", "slug", "status", "agency", "published_at", "published_precision"]}),
        ("Dateline", {"fields": ["dateline_text", "dateline_place"]}),
        ("Body", {"fields": ["body_text", "body_html", "language", "source_url"]}),
        ("Views", {"fields": ["legacy_view_count", "view_count"]}),
        ("Extraction", {"fields": ["raw_document", "raw_document_links", "report_removed", "report_flagged",
                                   "report_warnings"]}),
        ("History", {"fields": ["created_at", "updated_at"]}),
    ]  # fmt: skip
    inlines = [RelatedLinkInline]
    actions = [publish_articles, unpublish_articles, reextract_articles]

    def save_model(self, request, obj, form, change):
        # The related-article index reads keywords: keep them in step with the text.
        obj.keywords = article_keywords(obj.headline, obj.body_text)
        super().save_model(request, obj, form, change)
        if obj.status == Article.Status.PUBLISHED:
            services.article_relate_enqueue(article=obj)

    @admin.display(description="Views")
    def views(self, obj):
        return obj.total_views

    @admin.display(description="Raw input")
    def raw_document_links(self, obj):
        if obj.raw_document_id is None:
            return "—"
        return format_html(
            '<a href="{}">Raw document #{}</a> · <a href="{}" target="_blank" rel="noopener">View raw input</a>',
            reverse("admin:articles_rawdocument_change", args=[obj.raw_document_id]),
            obj.raw_document_id,
            reverse("admin:articles_rawdocument_raw", args=[obj.raw_document_id]),
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
        rows = [
            (flag.get("kind", ""), flag.get("text", ""), _detail(flag.get("detail")))
            for flag in (report.flagged if report else [])
        ]
        return _html_list(rows, "<li><strong>{}</strong>: {} <small>{}</small></li>")

    @admin.display(description="Warnings")
    def report_warnings(self, obj):
        report = self._report(obj)
        return _html_list([(warning,) for warning in report.warnings] if report else [])


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


@admin.action(description="Re-run extraction")
def reextract_raw_documents(modeladmin, request, queryset):
    raw_documents = list(queryset.select_related(None).only("pk"))
    for raw_document in raw_documents:
        services.raw_document_reextract(raw_document=raw_document)
    modeladmin.message_user(
        request, f"Queued {len(raw_documents)} document(s) for extraction again.", messages.SUCCESS
    )


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
        "received_at",
        "processed_at",
    ]
    readonly_fields = [f for f in fields if f not in ("reference_date", "agency_hint")]
    actions = [reextract_raw_documents]

    def get_queryset(self, request):
        # The stored bytes can be megabytes a row; only the raw view reads them.
        return super().get_queryset(request).defer("content").select_related("article")

    def has_add_permission(self, request):
        # Pages arrive through ingest (API, commands), which stores the bytes as they came.
        return False

    def get_urls(self):
        raw_view = path(
            "<int:object_id>/raw/",
            self.admin_site.admin_view(self.raw_view),
            name="articles_rawdocument_raw",
        )
        return [raw_view, *super().get_urls()]

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
