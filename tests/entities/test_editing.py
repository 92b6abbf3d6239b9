"""Editors' actions on entities and suggestions check the permission and write the change log."""

import pytest
from django.contrib.admin.models import LogEntry
from django.core.exceptions import PermissionDenied

from entities import services
from entities.models import Entity, EntitySuggestion
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
