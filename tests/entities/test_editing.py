"""Editors' actions on entities and suggestions check the permission and write the change log."""

import pytest
from django.contrib.admin.models import LogEntry
from django.core.exceptions import PermissionDenied

from entities import services
from entities.models import Alias, Entity, EntitySuggestion
from tests.factories import EntityFactory, EntitySuggestionFactory, user_with_permissions

pytestmark = pytest.mark.django_db


def messages_on(obj) -> list[str]:
    return [
        entry.get_change_message() for entry in LogEntry.objects.filter(object_id=str(obj.pk)).order_by("pk")
    ]


def test_a_merge_needs_the_change_permission_and_leaves_both_entities_without_it():
    target, source = EntityFactory(name="Islamic State"), EntityFactory(name="ISIL")

    with pytest.raises(PermissionDenied):
        services.entity_merge(source=source, target=target, by=user_with_permissions("entities.view_entity"))

    assert Entity.objects.filter(pk__in=[target.pk, source.pk]).count() == 2


def test_merge_block_and_approve_are_logged_on_the_entity():
    editor = user_with_permissions("entities.change_entity")
    target, source = EntityFactory(name="Islamic State"), EntityFactory(name="ISIL")
    wrong = EntityFactory(name="Monday")

    services.entity_merge(source=source, target=target, by=editor)
    services.entity_block(entity=wrong, by=editor)
    services.entity_approve(entity=wrong, by=editor)

    assert messages_on(target) == ["Merged in ISIL."]
    assert messages_on(wrong) == ["Blocked everywhere.", "Approved."]


def test_a_ruling_on_a_suggestion_needs_the_suggestion_permission_and_is_logged():
    suggestion = EntitySuggestionFactory(name="Ban Ki-moon", type="person")
    with pytest.raises(PermissionDenied):
        services.suggestion_approve(suggestion=suggestion, by=user_with_permissions("entities.change_entity"))
    editor = user_with_permissions("entities.change_entitysuggestion")

    entity = services.suggestion_approve(suggestion=suggestion, by=editor)

    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.entity) == (EntitySuggestion.Status.APPROVED, entity)
    assert messages_on(suggestion) == ["Approved as the entity Ban Ki-moon."]


def test_starting_a_re_tag_job_needs_its_permission():
    with pytest.raises(PermissionDenied):
        services.articles_retag(by=user_with_permissions("entities.change_entity"))


def test_an_edit_that_renames_redirects_the_old_slug_and_logs_each_change():
    editor = user_with_permissions("entities.change_entity")
    entity = EntityFactory(name="ISIL", slug="isil", description="")
    entity.name, entity.description = "Islamic State", "Jihadist group."

    services.entity_save(entity=entity, by=editor, fields=["name", "description"])

    entity.refresh_from_db()
    assert (entity.name, entity.slug, entity.description) == (
        "Islamic State",
        "islamic-state",
        "Jihadist group.",
    )
    assert entity.redirects.get().old_slug == "isil"
    assert entity.aliases.filter(text="ISIL").exists()
    assert messages_on(entity) == ["Changed Description.", "Renamed from ISIL (/entities/isil/)."]


def test_aliases_are_saved_and_removed_by_the_action_and_logged():
    editor = user_with_permissions("entities.change_entity")
    entity = EntityFactory(name="Islamic State")
    old = entity.aliases.create(text="ISIS")

    services.entity_aliases_save(entity=entity, by=editor, aliases=[Alias(text="Daesh")], removed=[old])

    assert set(entity.aliases.values_list("text", flat=True)) == {"Daesh"}
    assert messages_on(entity) == ["Changed the aliases."]


def test_retyping_a_suggestion_needs_its_permission_and_only_an_open_one():
    suggestion = EntitySuggestionFactory(name="Kuwait Petroleum Corporation", type="person")
    with pytest.raises(PermissionDenied):
        services.suggestion_retype(
            suggestion=suggestion,
            type="organization",
            by=user_with_permissions("entities.view_entitysuggestion"),
        )
    editor = user_with_permissions("entities.change_entitysuggestion")

    services.suggestion_retype(suggestion=suggestion, type="organization", by=editor)

    suggestion.refresh_from_db()
    assert suggestion.type == "organization"
    assert messages_on(suggestion) == ["Type changed from Person to Organization."]
    EntitySuggestion.objects.filter(pk=suggestion.pk).update(status=EntitySuggestion.Status.BLOCKED)
    suggestion.refresh_from_db()
    with pytest.raises(services.EntityError, match="open"):
        services.suggestion_retype(suggestion=suggestion, type="place", by=editor)
