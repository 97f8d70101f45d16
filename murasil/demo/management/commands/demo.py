"""`murasil demo`: migrate, load the Arabic demo newsroom when the site is empty, make an admin, serve."""

import logging
import os
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand

from murasil.core.site_url import sync_default_site
from murasil.news.models import Article

CREDENTIALS_FILE = "demo-admin.txt"


class Command(BaseCommand):
    help = "Set up and start the demo site with its Arabic sample newsroom."

    def add_arguments(self, parser):
        parser.add_argument("--addr", default="127.0.0.1:8000", help="HOST:PORT to serve on (default 127.0.0.1:8000)")
        parser.add_argument("--no-serve", action="store_true", help="Prepare everything but do not start the server")
        parser.add_argument("--workers", type=int, default=2, help="Server worker processes (default 2)")

    def handle(self, *args, **options):
        if not os.environ.get("MURASIL_SITE_URL"):
            # Absolute links (canonical, share, feeds) should name the address the demo really serves.
            settings.MURASIL_SITE_URL = os.environ["MURASIL_SITE_URL"] = f"http://{options['addr']}"
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Database is up to date.")
        sync_default_site()
        if Article.objects.exists():
            self.stdout.write("The site already has articles; the demo newsroom was not loaded again.")
        else:
            from murasil.demo.builder import DemoBuilder

            self.stdout.write("Loading the demo newsroom…")
            # Wagtail logs every publish at INFO; for 50 demo articles that is noise, not news.
            wagtail_log = logging.getLogger("wagtail")
            level = wagtail_log.level
            wagtail_log.setLevel(logging.WARNING)
            try:
                DemoBuilder(log=self.stdout.write).build()
            finally:
                wagtail_log.setLevel(level)
        username, password = self._admin_account()
        host = options["addr"]
        self.stdout.write(
            self.style.SUCCESS(
                f"\nMurasil demo is ready.\n  Site:  http://{host}/\n  Admin: http://{host}/admin/\n"
                f"  User:  {username}\n  Password: {password}\n"
            )
        )
        if not options["no_serve"]:
            call_command("serve", addr=host, workers=options["workers"])

    def _admin_account(self) -> tuple[str, str]:
        """Create the demo admin once; keep its password in the data dir so every start can print it."""
        path = settings.DATA_DIR / CREDENTIALS_FILE
        user_model = get_user_model()
        if path.exists():
            username, password = path.read_text().split("\n")[:2]
            user = user_model.objects.filter(username=username).first()
            if user and user.check_password(password):
                return username, password
        username, password = "admin", secrets.token_urlsafe(12)
        user = user_model.objects.filter(username=username).first() or user_model(username=username)
        user.email = "admin@localhost"
        user.is_staff = user.is_superuser = True
        user.set_password(password)
        user.save()
        path.write_text(f"{username}\n{password}\n")
        path.chmod(0o600)
        return username, password
