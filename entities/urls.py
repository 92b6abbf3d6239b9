"""Public pages: one per entity, with its feeds."""

from django.urls import path

from entities import views
from entities.feeds import EntityArticlesAtomFeed, EntityArticlesFeed

app_name = "entities"

urlpatterns = [
    path("<slug:slug>/", views.entity_detail, name="entity_detail"),
    path("<slug:slug>/feed/", EntityArticlesFeed(), name="entity_feed"),
    path("<slug:slug>/atom/", EntityArticlesAtomFeed(), name="entity_feed_atom"),
]
