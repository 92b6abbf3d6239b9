"""Public pages: one per entity."""

from django.urls import path

from entities import views
from newsroom.page_cache import page_cache

app_name = "entities"

urlpatterns = [
    path("<slug:slug>/", page_cache(views.entity_detail), name="entity_detail"),
]
