"""Public pages: one per entity, with its feeds."""

from django.urls import path

from entities import views
from entities.feeds import EntityArticlesAtomFeed, EntityArticlesFeed
from newsroom.page_cache import page_cache

app_name = "entities"

urlpatterns = [
    path("<slug:slug>/", page_cache(views.entity_detail), name="entity_detail"),
    path("<slug:slug>/feed/", page_cache(EntityArticlesFeed()), name="entity_feed"),
    path("<slug:slug>/atom/", page_cache(EntityArticlesAtomFeed()), name="entity_feed_atom"),
]
