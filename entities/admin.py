"""Admin registrations for entities, their aliases and their mentions."""

from django.contrib import admin

from entities.models import Alias, Entity, Mention


class AliasInline(admin.TabularInline):
    model = Alias
    fields = ["text", "case_sensitive", "ambiguous"]
    extra = 0


@admin.register(Entity)
class EntityAdmin(admin.ModelAdmin):
    list_display = ["name", "type", "status", "slug", "wikidata_id", "created_at"]
    list_filter = ["type", "status"]
    search_fields = ["name", "aliases__text"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [AliasInline]


@admin.register(Alias)
class AliasAdmin(admin.ModelAdmin):
    list_display = ["text", "entity", "case_sensitive", "ambiguous"]
    list_filter = ["case_sensitive", "ambiguous", "entity__type"]
    list_select_related = ["entity"]
    search_fields = ["text", "entity__name"]
    raw_id_fields = ["entity"]


@admin.register(Mention)
class MentionAdmin(admin.ModelAdmin):
    list_display = ["entity", "article", "count", "confidence", "method"]
    list_filter = ["method", "entity__type"]
    list_select_related = ["entity", "article"]
    search_fields = ["entity__name"]
    raw_id_fields = ["article", "entity"]
    show_full_result_count = False
