"""The newsroom's roles as Django groups: who may write, review, publish and kill.

The groups are made, and their permissions set to exactly this table, after every
``migrate`` (``NewsroomConfig.ready`` connects ``roles_sync`` to ``post_migrate``) and by
``manage.py sync_roles``. docs/workflow.md has the table in words.
"""

from __future__ import annotations

REPORTER = "Reporter"
EDITOR = "Editor"
CHIEF_EDITOR = "Chief editor"
API_PARTNER = "API partner"

_READ_DESK = [
    "articles.view_article",
    "articles.view_rawdocument",
    "articles.view_agency",
    "articles.view_relatedlink",
    "articles.view_extractionreport",
    "entities.view_entity",
    "entities.view_alias",
    "entities.view_mention",
    "entities.view_entitysuggestion",
    "entities.view_entityredirect",
    "entities.view_articletagging",
    "entities.view_retagjob",
    "sources.view_source",
    "sources.view_seenitem",
]
_REPORTER = [
    *_READ_DESK,
    "articles.add_article",
    "articles.change_article",
    "articles.add_rawdocument",
    "articles.add_relatedlink",
    "articles.change_relatedlink",
    "articles.delete_relatedlink",
]
_EDITOR = [
    *_REPORTER,
    "articles.review_article",
    "articles.publish_article",
    "articles.change_rawdocument",
    "articles.add_agency",
    "articles.change_agency",
    "articles.view_sitefurniture",
    "articles.add_sitefurniture",
    "articles.change_sitefurniture",
    "entities.add_entity",
    "entities.change_entity",
    "entities.add_alias",
    "entities.change_alias",
    "entities.delete_alias",
    "entities.change_entitysuggestion",
    "entities.add_retagjob",
    # Following a feed brings its stories in; publishing them as they come still needs publish_article.
    "sources.add_source",
    "sources.change_source",
]
_CHIEF_EDITOR = [
    *_EDITOR,
    "articles.kill_article",
    "articles.publish_embargoed_article",
    "articles.delete_article",
    "articles.delete_sitefurniture",
    "entities.delete_entity",
    "sources.delete_source",
]
# Partner sites send pages for review; publishing stays with the desk.
_API_PARTNER = ["articles.add_rawdocument", "articles.view_rawdocument"]

ROLES: dict[str, list[str]] = {
    REPORTER: _REPORTER,
    EDITOR: _EDITOR,
    CHIEF_EDITOR: _CHIEF_EDITOR,
    API_PARTNER: _API_PARTNER,
}
# Who sees the admin at all.
DESK_ROLES = frozenset({REPORTER, EDITOR, CHIEF_EDITOR})


def roles_sync(**kwargs) -> None:
    """Make each role's group hold exactly the permissions of ``ROLES``; safe to run again."""
    from django.contrib.auth.models import Group, Permission

    for name, codes in ROLES.items():
        wanted = set(codes)
        found = {
            f"{app_label}.{codename}": pk
            for pk, app_label, codename in Permission.objects.filter(
                content_type__app_label__in={code.split(".")[0] for code in wanted}
            ).values_list("pk", "content_type__app_label", "codename")
        }
        missing = wanted - set(found)
        if missing:
            # Before the apps' permissions exist (a partial migrate), there is nothing to sync yet.
            return
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set([found[code] for code in wanted])
