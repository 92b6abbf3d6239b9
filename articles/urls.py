"""Public pages."""

from django.urls import path

from articles import views
from articles.feeds import (
    AgencyArticlesAtomFeed,
    AgencyArticlesFeed,
    LatestArticlesAtomFeed,
    LatestArticlesFeed,
)
from articles.search.views import search
from articles.seo import views as seo_views
from newsroom.page_cache import page_cache

app_name = "articles"

urlpatterns = [
    # Public pages readers share are served from the page cache (newsroom/page_cache.py).
    path("", page_cache(views.index), name="index"),
    path("search/", page_cache(search), name="search"),
    path("feeds/latest/", page_cache(LatestArticlesFeed()), name="feed_latest"),
    path("feeds/latest/atom/", page_cache(LatestArticlesAtomFeed()), name="feed_latest_atom"),
    path("articles/<int:article_id>/pixel.gif", views.article_view_pixel, name="article_view_pixel"),
    path("articles/<slug:slug>/", page_cache(views.article_detail), name="article_detail"),
    path("agencies/<slug:slug>/", page_cache(views.agency_detail), name="agency_detail"),
    path("agencies/<slug:slug>/feed/", page_cache(AgencyArticlesFeed()), name="agency_feed"),
    path("agencies/<slug:slug>/atom/", page_cache(AgencyArticlesAtomFeed()), name="agency_feed_atom"),
    path("widgets/related/<int:article_id>/", views.related_widget, name="related_widget"),
    # What crawlers fetch besides pages (docs/seo.md).
    path("sitemap.xml", page_cache(seo_views.sitemap_index), name="sitemap_index"),
    path("sitemaps/articles-<int:page>.xml", page_cache(seo_views.sitemap_articles), name="sitemap_articles"),
    path("sitemaps/news.xml", page_cache(seo_views.sitemap_news), name="sitemap_news"),
    path("robots.txt", seo_views.robots_txt, name="robots_txt"),
    path("favicon.ico", seo_views.favicon, name="favicon"),
]
