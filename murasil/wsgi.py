import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "murasil.settings.local")
# Fresh page-cache hits are answered before Django's request handling (murasil/pagecache/wsgi.py).
from murasil.pagecache.wsgi import PageCacheApp

application = PageCacheApp(get_wsgi_application())
