"""Feeds and sitemaps. Included before the news URLs and Wagtail's catch-all (see murasil/urls.py)."""

from django.urls import path, re_path

from . import views
from .feeds import ArticleFeed, ReporterFeed, TagFeed, atom

urlpatterns = [
    path("feed/", views.conditional(ArticleFeed()), name="feed"),
    path("feed/atom/", views.conditional(atom(ArticleFeed)()), name="feed_atom"),
    path("author/<str:slug>/feed/", views.conditional(ReporterFeed()), name="reporter_feed"),
    path("author/<str:slug>/feed/atom/", views.conditional(atom(ReporterFeed)()), name="reporter_feed_atom"),
    path("tag/<str:slug>/feed/", views.conditional(TagFeed()), name="tag_feed"),
    path("tag/<str:slug>/feed/atom/", views.conditional(atom(TagFeed)()), name="tag_feed_atom"),
    path("sitemap.xml", views.sitemap_index, name="sitemap_index"),
    re_path(
        r"^sitemap-articles-(?P<year>[0-9]{4})-(?P<month>[0-9]{2})\.xml$",
        views.article_month_sitemap,
        name="sitemap_articles",
    ),
    re_path(r"^sitemap-(?P<section>[a-z]+)\.xml$", views.sitemap_section, name="sitemap_section"),
    path("news-sitemap.xml", views.news_sitemap, name="news_sitemap"),
    # <section URL>feed/ and <section URL>feed/atom/: a section is found by its path (views.section_feed).
    re_path(r"^(?P<path>(?:[^/]+/)+)feed/(?:(?P<kind>atom)/)?$", views.section_feed, name="section_feed"),
]
