"""Fresh hits answered before Django: no request object, no middleware, no URL resolution.

Everything that is not a fresh hit (misses, stale copies, staff, other paths) goes on to Django,
where PageCacheMiddleware reuses the lookup made here instead of repeating it.
"""

import logging

from django.conf import settings

from . import keys, store
from .middleware import LOOKUP_ENVIRON_KEY
from .responses import wsgi_answer

log = logging.getLogger("murasil.pagecache")


class PageCacheApp:
    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        if settings.MURASIL_PAGE_CACHE and keys.is_candidate(environ):
            try:
                key = keys.request_key(environ, keys.wsgi_path(environ))
                found = store.lookup(key.entry_key(), key.uncacheable_key)
            except Exception:  # the site must work with the cache down
                log.exception("page cache lookup failed; rendering without it")
            else:
                if found.fresh:
                    status, headers, body = wsgi_answer(environ, found.entry, "HIT")
                    start_response(status, headers)
                    return body
                environ[LOOKUP_ENVIRON_KEY] = (key, found)
        return self.application(environ, start_response)
