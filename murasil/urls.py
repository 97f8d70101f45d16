from django.conf import settings
from django.urls import include, path, re_path
from django.views.static import serve as serve_file

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from murasil.core import views as core_views
from murasil.wp_api import views as wp_api_views

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("robots.txt", core_views.robots_txt, name="robots_txt"),
    path("healthz", core_views.healthz, name="healthz"),
    path("comments/", include("murasil.comments.urls")),
    path("search/", include("murasil.search.urls")),
    path("readership/", include("murasil.readership.urls")),
    path("wp-json/", include("murasil.wp_api.urls")),
]

if settings.MURASIL_SERVE_MEDIA:
    # The embedded default has no nginx in front; in production nginx serves /media/ itself.
    urlpatterns += [re_path(r"^media/(?P<path>.*)$", serve_file, {"document_root": settings.MEDIA_ROOT})]

urlpatterns += [
    # Feeds and sitemaps first: /author/<slug>/feed/ and <section URL>feed/ must win over the news
    # patterns, and the section feed pattern must come before Wagtail's catch-all.
    path("", include("murasil.syndication.urls")),
    path("", include("murasil.news.urls")),
    # "/" is the home page, or the WordPress API when asked as /?rest_route=/wp/v2/…
    path("", wp_api_views.rest_route_or_home),
    # Sections, the home page and static pages are Wagtail pages: this catch-all must stay last.
    path("", include(wagtail_urls)),
]

handler400 = "murasil.core.views.bad_request"
handler404 = "murasil.core.views.page_not_found"
handler500 = "murasil.core.views.server_error"
