"""The editors' admin: entities and their aliases, the suggestion queue, merges, blocks and re-tagging."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator, smart_split, unescape_string_literal

from entities import services
from entities.models import (
    Alias,
    ArticleTagging,
    Entity,
    EntityRedirect,
    EntitySuggestion,
    Mention,
    RetagJob,
)
from newsroom.paginators import CappedCountPaginator


def _article_changelist_url(entity_id: int) -> str:
    return (
        f"{reverse('admin:articles_article_changelist')}?{MentionedEntityFilter.parameter_name}={entity_id}"
    )


def _rerender(modeladmin, request, template: str, title: str, queryset, **context):
    """An intermediate page for an action: it posts back to the same action with ``confirm``."""
    return TemplateResponse(
        request,
        template,
        {
            **modeladmin.admin_site.each_context(request),
            "title": title,
            "opts": modeladmin.model._meta,
            "queryset": queryset,
            "action": request.POST.get("action", ""),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            **context,
        },
    )


# --- Entities -------------------------------------------------------------------------------


def match_reason(term: str, entity: Entity, aliases) -> str:
    """Why ``entity`` answers the search ``term``, in words: its name, which alias, its slug or Wikidata ID.

    The admin search matches each word of the term against any of the searched fields, so the
    reason is the first of these that holds every word.
    """
    words = []
    for bit in smart_split(term):
        if len(bit) > 1 and bit[0] in "\"'" and bit[-1] == bit[0]:
            bit = unescape_string_literal(bit)
        if bit.strip():
            words.append(bit.casefold())
    if not words:
        return ""

    def holds(text: str) -> bool:
        folded = text.casefold()
        return all(word in folded for word in words)

    if holds(entity.name):
        return "name"
    for alias in aliases:
        if holds(alias.text):
            return f"alias “{alias.text}”"
    if len(words) == 1 and words[0] == entity.slug.casefold():
        return "slug"
    if len(words) == 1 and words[0] == (entity.wikidata_id or "").casefold():
        return "Wikidata ID"
    return "several names"


class EntityAutocompleteView(AutocompleteJsonView):
    """The entity picker's answers: each entity with its type and why it matches what was typed.

    Blocked entities are left out: nothing may be tagged as them, so no name is added to them.
    """

    def get_queryset(self):
        return super().get_queryset().exclude(status=Entity.Status.BLOCKED).prefetch_related("aliases")

    def serialize_result(self, obj, to_field_name):
        result = super().serialize_result(obj, to_field_name)
        reason = match_reason(self.term, obj, obj.aliases.all())
        result.update(type=obj.get_type_display(), match=reason)
        result["text"] = f"{obj.name} ({obj.get_type_display().lower()})" + (
            f" — matches {reason}" if reason and reason != "name" else ""
        )
        return result


class EntityAutocompleteSelect(AutocompleteSelect):
    """An entity picker whose answers say the entity's type and why it matches."""

    url_name = "%s:entities_entity_autocomplete"


class AliasInline(admin.TabularInline):
    model = Alias
    fields = ["text", "case_sensitive", "ambiguous"]
    extra = 0


class EntityMergeForm(forms.Form):
    target = forms.ModelChoiceField(
        queryset=Entity.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        help_text="The entity that stays; the others are folded into it and their slugs redirect to it.",
    )

    def __init__(self, *args, entities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = entities.exclude(status=Entity.Status.BLOCKED)


@admin.action(description="Merge the selected entities into one", permissions=["change"])
def merge_entities(modeladmin, request, queryset):
    entities = queryset.order_by("name", "pk")
    if entities.count() < 2:
        modeladmin.message_user(request, "Select at least two entities to merge.", messages.WARNING)
        return None
    form = EntityMergeForm(request.POST if request.POST.get("confirm") else None, entities=entities)
    if form.is_valid():
        target = form.cleaned_data["target"]
        merged = []
        for source in entities.exclude(pk=target.pk):
            name = source.name
            try:
                services.entity_merge(source=source, target=target, by=request.user)
            except services.EntityError as exc:
                modeladmin.message_user(request, f"{name}: {exc}", messages.ERROR)
                continue
            merged.append(name)
        if merged:
            modeladmin.message_user(
                request,
                f"Merged {', '.join(merged)} into {target}; their old slugs redirect.",
                messages.SUCCESS,
            )
        return None
    return _rerender(
        modeladmin,
        request,
        "entities/admin/entity_merge.html",
        "Merge entities",
        entities,
        form=form,
    )


@admin.action(description="Block the selected entities everywhere", permissions=["change"])
def block_entities(modeladmin, request, queryset):
    removed = 0
    entities = list(queryset.exclude(status=Entity.Status.BLOCKED))
    for entity in entities:
        removed += services.entity_block(entity=entity, by=request.user)
    modeladmin.message_user(
        request,
        f"Blocked {len(entities)} entit{'y' if len(entities) == 1 else 'ies'}; removed {removed} mention(s). "
        "They will not be tagged again.",
        messages.SUCCESS,
    )


@admin.action(description="Approve the selected entities (unblocks them)", permissions=["change"])
def approve_entities(modeladmin, request, queryset):
    entities = list(queryset.exclude(status=Entity.Status.APPROVED))
    for entity in entities:
        services.entity_approve(entity=entity, by=request.user)
    modeladmin.message_user(
        request,
        f"Approved {len(entities)} entit{'y' if len(entities) == 1 else 'ies'}. "
        "Articles pick them up when they are next tagged: re-tag all articles to do it now.",
        messages.SUCCESS,
    )


class EntityAdminForm(forms.ModelForm):
    class Meta:
        model = Entity
        fields = ["name", "slug", "type", "status", "description", "wikidata_id"]
        help_texts = {
            "name": "Renaming keeps the old name as an alias and redirects the old slug.",
            "slug": "Left unchanged on a rename, a new one is made from the new name.",
        }


@admin.register(Entity)
class EntityAdmin(admin.ModelAdmin):
    form = EntityAdminForm
    list_display = ["name", "type", "status", "slug", "wikidata_id", "articles_link"]
    list_filter = ["type", "status"]
    search_fields = ["name", "aliases__text", "=slug", "=wikidata_id"]
    prepopulated_fields = {"slug": ["name"]}
    show_full_result_count = False
    paginator = CappedCountPaginator
    inlines = [AliasInline]
    actions = [merge_entities, block_entities, approve_entities]
    change_list_template = "entities/admin/entity_change_list.html"

    def get_urls(self):
        view = EntityAutocompleteView.as_view(admin_site=self.admin_site)
        autocomplete = path(
            "autocomplete/", self.admin_site.admin_view(view), name="entities_entity_autocomplete"
        )
        return [autocomplete, *super().get_urls()]

    def get_fields(self, request, obj=None):
        fields = ["name", "slug", "type", "status", "description", "wikidata_id"]
        if obj is not None:
            fields += ["articles_link", "history", "created_at", "updated_at"]
        return fields

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        # Blocking and approving go through the actions, which remove or restore mentions.
        return ["status", "articles_link", "history", "created_at", "updated_at"]

    def save_model(self, request, obj, form, change):
        services.entity_save(entity=obj, by=request.user, fields=form.changed_data, created=not change)

    def save_formset(self, request, form, formset, change):
        aliases = formset.save(commit=False)
        if aliases or formset.deleted_objects:
            services.entity_aliases_save(
                entity=form.instance, by=request.user, aliases=aliases, removed=formset.deleted_objects
            )

    # The actions write the change log (``newsroom.audit``), so the form does not log again.
    def log_addition(self, request, obj, message):
        return None

    def log_change(self, request, obj, message):
        return None

    def response_change(self, request, obj):
        # Aliases edited inline may change what is tagged; say how to apply them now.
        response = super().response_change(request, obj)
        self.message_user(
            request, "Alias changes apply to new stories; re-tag all articles to apply them to old ones."
        )
        return response

    @admin.display(description="Articles")
    def articles_link(self, obj):
        return format_html('<a href="{}">Articles that mention it</a>', _article_changelist_url(obj.pk))

    @admin.display(description="Merges and renames")
    def history(self, obj):
        redirects = obj.redirects.select_related("created_by").order_by("-created_at", "-id")[:50]
        if not redirects:
            return "—"
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li>{} <strong>{}</strong> (was /entities/{}/) on {}{}</li>",
                (
                    (
                        r.get_reason_display(),
                        r.old_name,
                        r.old_slug,
                        f"{r.created_at:%Y-%m-%d %H:%M}",
                        f" by {r.created_by}" if r.created_by else "",
                    )
                    for r in redirects
                ),
            ),
        )


@admin.register(Alias)
class AliasAdmin(admin.ModelAdmin):
    list_display = ["text", "entity", "case_sensitive", "ambiguous"]
    list_filter = ["case_sensitive", "ambiguous", "entity__type"]
    list_select_related = ["entity"]
    search_fields = ["text", "entity__name"]
    raw_id_fields = ["entity"]
    show_full_result_count = False
    paginator = CappedCountPaginator


@admin.register(Mention)
class MentionAdmin(admin.ModelAdmin):
    list_display = ["entity", "article", "count", "confidence", "method"]
    list_filter = ["method", "entity__type"]
    list_select_related = ["entity", "article"]
    search_fields = ["entity__name"]
    raw_id_fields = ["article", "entity"]
    show_full_result_count = False
    paginator = CappedCountPaginator


@admin.register(EntityRedirect)
class EntityRedirectAdmin(admin.ModelAdmin):
    """The history of merges and renames; rows are written by those actions only."""

    list_display = ["old_slug", "old_name", "entity", "reason", "created_by", "created_at"]
    list_filter = ["reason"]
    list_select_related = ["entity", "created_by"]
    search_fields = ["old_slug", "old_name", "entity__name"]
    readonly_fields = ["old_slug", "old_id", "old_name", "entity", "reason", "created_by", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# --- The suggestion queue -------------------------------------------------------------------------


def _rule_selected(modeladmin, request, queryset, rule) -> list:
    """Apply ``rule`` once to each name and type among the selected open suggestions.

    Each is looked up afresh when its turn comes: a ruling settles the open suggestions of the
    same name everywhere, and re-tagging an article replaces its open ones, so the rows selected
    may be gone while the names still wait.
    """
    done = []
    wanted = queryset.filter(status=EntitySuggestion.Status.OPEN).values_list("name", "type").distinct()
    for name, type_ in list(wanted):
        suggestion = (
            EntitySuggestion.objects.filter(status=EntitySuggestion.Status.OPEN, name=name, type=type_)
            .order_by("pk")
            .first()
        )
        if suggestion is None:
            continue  # settled with an earlier one
        try:
            done.append(rule(suggestion))
        except services.EntityError as exc:
            modeladmin.message_user(request, f"{name}: {exc}", messages.ERROR)
    return done


@admin.action(description="Approve as new entities", permissions=["change"])
def approve_suggestions(modeladmin, request, queryset):
    approved = [
        entity.name
        for entity in _rule_selected(
            modeladmin,
            request,
            queryset,
            lambda suggestion: services.suggestion_approve(suggestion=suggestion, by=request.user),
        )
    ]
    if approved:
        modeladmin.message_user(
            request,
            f"Approved {', '.join(approved)}; their articles are being tagged again.",
            messages.SUCCESS,
        )


class SuggestionAliasForm(forms.Form):
    entity = forms.ModelChoiceField(
        queryset=Entity.objects.exclude(status=Entity.Status.BLOCKED),
        widget=EntityAutocompleteSelect(EntitySuggestion._meta.get_field("entity"), admin.site),
        help_text="The entity the suggested names are another name for.",
    )


@admin.action(description="Add as an alias of an existing entity…", permissions=["change"])
def alias_suggestions(modeladmin, request, queryset):
    suggestions = queryset.filter(status=EntitySuggestion.Status.OPEN).select_related("article")
    if not suggestions.exists():
        modeladmin.message_user(request, "Select open suggestions.", messages.WARNING)
        return None
    form = SuggestionAliasForm(request.POST if request.POST.get("confirm") else None)
    if form.is_valid():
        entity = form.cleaned_data["entity"]
        aliases = _rule_selected(
            modeladmin,
            request,
            suggestions,
            lambda suggestion: services.suggestion_add_as_alias(
                suggestion=suggestion, entity=entity, by=request.user
            ),
        )
        names = [alias.text for alias in aliases]
        modeladmin.message_user(
            request,
            f"Added {', '.join(sorted(set(names)))} as alias(es) of {entity}; their articles are being tagged again.",
            messages.SUCCESS,
        )
        return None
    return _rerender(
        modeladmin,
        request,
        "entities/admin/suggestion_alias.html",
        "Add as an alias of an existing entity",
        suggestions,
        form=form,
        media=modeladmin.media + form.media,
    )


@admin.action(description="Block the selected names", permissions=["change"])
def block_suggestions(modeladmin, request, queryset):
    blocked = [
        entity.name
        for entity in _rule_selected(
            modeladmin,
            request,
            queryset,
            lambda suggestion: services.suggestion_block(suggestion=suggestion, by=request.user),
        )
    ]
    if blocked:
        modeladmin.message_user(
            request, f"Blocked {', '.join(blocked)}: never suggested or tagged again.", messages.SUCCESS
        )


@admin.register(EntitySuggestion)
class EntitySuggestionAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "type",
        "count",
        "article_link",
        "short_examples",
        "status",
        "entity",
        "created_at",
    ]
    list_filter = ["status", "type"]
    list_select_related = ["article", "entity"]
    search_fields = ["name"]
    show_full_result_count = False
    paginator = CappedCountPaginator
    actions = [approve_suggestions, alias_suggestions, block_suggestions]
    # The type the model guessed is corrected in the list, before approving.
    list_editable = ["type"]
    # Each row is a small form: fifty keep the page quick to render and to read.
    list_per_page = 50
    fields = [
        "name",
        "type",
        "count",
        "article_link",
        "example_list",
        "status",
        "entity",
        "resolved_by",
        "resolved_at",
        "created_at",
    ]
    readonly_fields = [name for name in fields if name != "type"]

    def has_add_permission(self, request):
        # Suggestions come from tagging; editors rule on them with the actions.
        return False

    def save_model(self, request, obj, form, change):
        if "type" in form.changed_data:
            services.suggestion_retype(suggestion=obj, type=form.cleaned_data["type"], by=request.user)

    # The action writes the change log, so the form does not log again.
    def log_change(self, request, obj, message):
        return None

    @admin.display(description="Article")
    def article_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:articles_article_change", args=[obj.article_id]),
            Truncator(obj.article.headline).chars(60),
        )

    @admin.display(description="Examples")
    def short_examples(self, obj):
        return Truncator(" … ".join(obj.examples[:2])).chars(160)

    @admin.display(description="Examples")
    def example_list(self, obj):
        if not obj.examples:
            return "—"
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((e,) for e in obj.examples)))


# --- Re-tagging -----------------------------------------------------------------------------------


def _progress(job: RetagJob):
    progress = format_html(
        '<progress max="{}" value="{}"></progress> {} / {} ({}%)',
        max(job.total, 1),
        job.done,
        job.done,
        job.total,
        job.percent,
    )
    if job.failed:
        url = reverse("admin:entities_articletagging_changelist")
        return format_html('{}, <a href="{}?failed=yes">{} failed</a>', progress, url, job.failed)
    return progress


@admin.register(RetagJob)
class RetagJobAdmin(admin.ModelAdmin):
    list_display = ["__str__", "status", "progress", "created_by", "created_at", "finished_at"]
    list_filter = ["status"]
    list_select_related = ["created_by"]
    fields = ["status", "progress", "scope", "error", "created_by", "created_at", "started_at", "finished_at"]
    readonly_fields = fields
    change_list_template = "entities/admin/retagjob_change_list.html"
    change_form_template = "entities/admin/retagjob_change_form.html"

    def has_add_permission(self, request):
        # Jobs start from the "Re-tag all articles" button or the article list's action.
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_urls(self):
        retag_all = path(
            "retag-all/", self.admin_site.admin_view(self.retag_all_view), name="entities_retagjob_retag_all"
        )
        return [retag_all, *super().get_urls()]

    def retag_all_view(self, request):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        job = services.articles_retag(by=request.user)
        self.message_user(request, f"Started {job}: {job.total} article(s).", messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:entities_retagjob_change", args=[job.pk]))

    @admin.display(description="Progress")
    def progress(self, obj):
        return _progress(obj)

    @admin.display(description="Articles")
    def scope(self, obj):
        return "All articles" if obj.article_ids is None else f"{len(obj.article_ids)} selected article(s)"


class TaggingFailedFilter(admin.SimpleListFilter):
    title = "outcome"
    parameter_name = "failed"

    def lookups(self, request, model_admin):
        return [("yes", "Failed"), ("no", "Tagged")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.exclude(error="")
        if self.value() == "no":
            return queryset.filter(error="")
        return queryset


@admin.register(ArticleTagging)
class ArticleTaggingAdmin(admin.ModelAdmin):
    """When each article was last tagged; failures are the ones with an error."""

    list_display = ["article", "tagged_at", "mentions", "suggestions", "short_error"]
    list_filter = [TaggingFailedFilter]
    list_select_related = ["article"]
    search_fields = ["article__headline", "error"]
    show_full_result_count = False
    paginator = CappedCountPaginator
    readonly_fields = ["article", "tagged_at", "mentions", "suggestions", "error", "notice", "updated_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="Error")
    def short_error(self, obj):
        return Truncator(obj.error).chars(80) or "—"


# --- On the article admin -------------------------------------------------------------------------


@admin.display(description="Entities mentioned")
def article_mentions(article):
    """An article's mentions as tagging found them, for its admin page (re-tag to change them)."""
    if article.pk is None:
        return "—"
    mentions = (
        Mention.objects.filter(article=article).select_related("entity").order_by("-count", "entity__name")
    )
    rows = [
        (
            reverse("admin:entities_entity_change", args=[m.entity_id]),
            m.entity.name,
            m.entity.get_type_display(),
            m.count,
            f"{m.confidence:.2f}",
            m.get_method_display(),
        )
        for m in mentions
    ]
    listing = (
        format_html(
            "<ul>{}</ul>",
            format_html_join(
                "", '<li><a href="{}">{}</a> <small>{}, ×{}, confidence {}, {}</small></li>', rows
            ),
        )
        if rows
        else "None found."
    )
    tagging = ArticleTagging.objects.filter(article=article).first()
    if tagging is None:
        state = "Not tagged yet."
    elif tagging.error:
        state = format_html("Tagging failed: {}", tagging.error)
    else:
        state = format_html("Tagged {}. {}", f"{tagging.tagged_at:%Y-%m-%d %H:%M}", tagging.notice)
    suggestions = EntitySuggestion.objects.filter(
        article=article, status=EntitySuggestion.Status.OPEN
    ).count()
    queue = ""
    if suggestions:
        url = reverse("admin:entities_entitysuggestion_changelist")
        queue = format_html(
            ' <a href="{}?article__id__exact={}&amp;status__exact=open">{} name(s) waiting in the suggestion queue</a>.',
            url,
            article.pk,
            suggestions,
        )
    return format_html("{}<p>{}{}</p>", listing, state, queue)


class MentionedEntityFilter(admin.SimpleListFilter):
    """Articles that mention one entity: reached from the entity's page, so it lists no choices itself."""

    title = "entity mentioned"
    parameter_name = "entity"

    def lookups(self, request, model_admin):
        value = self.value()
        if not (value or "").isdigit():
            return []
        return list(Entity.objects.filter(pk=int(value)).values_list("pk", "name"))

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        if not value.isdigit():
            return queryset.none()
        return queryset.filter(mentions__entity_id=int(value))

    def choices(self, changelist):
        # Only the selected entity and a way back to all articles.
        yield {
            "selected": self.value() is None,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": "All",
        }
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == str(lookup),
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }


@admin.action(description="Re-tag the selected articles")
def retag_articles(modeladmin, request, queryset):
    try:
        job = services.articles_retag(
            article_ids=list(queryset.values_list("pk", flat=True)), by=request.user
        )
    except PermissionDenied:
        modeladmin.message_user(request, "You may not start re-tag jobs.", messages.ERROR)
        return
    modeladmin.message_user(
        request,
        format_html(
            'Started <a href="{}">{}</a> for {} article(s).',
            reverse("admin:entities_retagjob_change", args=[job.pk]),
            job,
            job.total,
        ),
        messages.SUCCESS,
    )
