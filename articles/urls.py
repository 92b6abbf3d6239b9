"""Public pages."""

from django.urls import path

from articles import views
from articles.feeds import LatestArticlesFeed
from articles.search.views import search

app_name = "articles"

urlpatterns = [
    path("", views.index, name="index"),
    path("search/", search, name="search"),
    path("feeds/latest/", LatestArticlesFeed(), name="feed_latest"),
    path("articles/<int:article_id>/pixel.gif", views.article_view_pixel, name="article_view_pixel"),
    path("articles/<slug:slug>/", views.article_detail, name="article_detail"),
    path("agencies/<slug:slug>/", views.agency_detail, name="agency_detail"),
    path("widgets/related/<int:article_id>/", views.related_widget, name="related_widget"),
]
