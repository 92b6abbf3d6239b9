"""The followed sources in the admin: their state at a glance, "Poll now", and the stories each brought in."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import admin, messages
from django.db import transaction
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator

from sources import services
from sources.models import SeenItem, Source


def source_follow_url(url: str) -> str:
    """The admin page that adds ``url`` as a followed source (``articles.hooks.FEED_FOLLOW``)."""
    return f"{reverse('admin:sources_source_add')}?{urlencode({'url': url})}"


class FailingFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("failing", "Failing"), ("ok", "Working"), ("never", "Never polled")]

    def queryset(self, request, queryset):
        if self.value() == "failing":
            return queryset.filter(failures__gt=0)
        if self.value() == "ok":
            return queryset.filter(failures=0, last_success_at__isnull=False)
        if self.value() == "never":
            return queryset.filter(last_polled_at__isnull=True)
        return queryset


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "kind",
        "agency",
        "enabled",
        "publish",
        "last_success_at",
        "failures",
        "short_error",
        "items_link",
        "next_poll_at",
    ]
    list_filter = ["enabled", FailingFilter, "kind", "publish", "agency"]
    list_select_related = ["agency"]
    search_fields = ["name", "url"]
    autocomplete_fields = ["agency"]
    actions = ["poll_now", "enable", "disable"]
    fieldsets = [
        (None, {"fields": ["url", "name", "kind", "agency", "publish", "poll_interval", "enabled"]}),
        (
            "State",
            {
                "fields": [
                    "last_success_at",
                    "last_polled_at",
                    "last_error_shown",
                    "last_error_at",
                    "failures",
                    "next_poll_at",
                    "items_link",
                    "etag",
                    "last_modified",
                ]
            },
        ),
    ]
    readonly_fields = [
        "last_success_at",
        "last_polled_at",
        "last_error_shown",
        "last_error_at",
        "failures",
        "next_poll_at",
        "items_link",
        "etag",
        "last_modified",
    ]

    def get_readonly_fields(self, request, obj=None):
        # Publishing what a source brings in is publishing: it takes the permission to publish.
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.has_perm("articles.publish_article"):
            fields.append("publish")
        return fields

    @admin.display(description="last error")
    def short_error(self, obj):
        return Truncator(obj.last_error).chars(80)

    @admin.display(description="last error")
    def last_error_shown(self, obj):
        return obj.last_error or "none"

    @admin.display(description="items", ordering="items_seen")
    def items_link(self, obj):
        if obj.pk is None:
            return "-"
        url = reverse("admin:sources_seenitem_changelist") + f"?source__id__exact={obj.pk}"
        return format_html('<a href="{}">{} items</a>', url, obj.items_seen)

    @admin.action(description="Poll the selected sources now", permissions=["change"])
    def poll_now(self, request, queryset):
        from sources.tasks import source_poll_task

        # Sent at once rather than left to beat's next check; a source already being polled is left alone.
        for pk in queryset.values_list("pk", flat=True):
            transaction.on_commit(lambda pk=pk: source_poll_task.delay(pk))
        self.message_user(request, f"{queryset.count()} sources will be polled now.", messages.SUCCESS)

    @admin.action(description="Enable the selected sources", permissions=["change"])
    def enable(self, request, queryset):
        changed = services.sources_enable(sources=list(queryset), enabled=True)
        self.message_user(request, f"{changed} sources enabled.", messages.SUCCESS)

    @admin.action(description="Disable the selected sources", permissions=["change"])
    def disable(self, request, queryset):
        changed = services.sources_enable(sources=list(queryset), enabled=False)
        self.message_user(request, f"{changed} sources disabled.", messages.SUCCESS)


@admin.register(SeenItem)
class SeenItemAdmin(admin.ModelAdmin):
    """What each source listed, and the stored page (and story) it became."""

    list_display = ["url", "source", "first_seen_at", "published", "document_link", "attempts", "short_error"]
    list_filter = ["source"]
    list_select_related = ["source", "raw_document"]
    search_fields = ["url"]
    date_hierarchy = "first_seen_at"
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="stored page")
    def document_link(self, obj):
        if obj.raw_document_id is None:
            if obj.article_id is not None:
                url = reverse("admin:articles_article_change", args=[obj.article_id])
                return format_html('<a href="{}">the story already at this address</a>', url)
            return "-"
        url = reverse("admin:articles_rawdocument_change", args=[obj.raw_document_id])
        return format_html('<a href="{}">{}</a>', url, obj.raw_document.get_status_display())

    @admin.display(description="error")
    def short_error(self, obj):
        return Truncator(obj.error).chars(80)
