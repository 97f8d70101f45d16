"""`murasil nginx_config`: print the reference nginx configuration for this deployment."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from murasil.core.nginx import NginxSite, render_site, render_standalone


class Command(BaseCommand):
    help = (
        "Print the nginx configuration for Murasil (TLS, static and media files, app servers, reader cache, "
        "purge listener). Static and media paths come from this environment's settings."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        defaults = NginxSite()
        parser.add_argument(
            "--server-name", action="append", dest="server_names", help="host name (repeat for several)"
        )
        parser.add_argument(
            "--upstream", action="append", dest="upstreams", help="an app server HOST:PORT (repeat for each)"
        )
        parser.add_argument("--no-tls", action="store_true", help="plain HTTP only (TLS ends at a load balancer)")
        parser.add_argument("--certificate", help="TLS certificate chain (default: Let's Encrypt's path for the name)")
        parser.add_argument("--certificate-key", help="TLS private key")
        parser.add_argument("--http-listen", default=defaults.http_listen)
        parser.add_argument("--https-listen", default=defaults.https_listen)
        parser.add_argument("--cache-dir", default=defaults.cache_dir)
        parser.add_argument("--cache-max-size", default=defaults.cache_max_size)
        parser.add_argument(
            "--microcache",
            type=int,
            default=defaults.microcache_seconds,
            help="seconds nginx keeps a page the app sent without Cache-Control (default %(default)s)",
        )
        parser.add_argument("--purge-listen", default=defaults.purge_listen, help="HOST:PORT of the purge listener")
        parser.add_argument(
            "--purge-allow", action="append", help="address or network allowed to purge (default: 127.0.0.1)"
        )
        parser.add_argument(
            "--no-purge", action="store_true", help="no purge listener (nginx without libnginx-mod-http-cache-purge)"
        )
        parser.add_argument(
            "--search-rate", type=int, default=defaults.search_rate, help="/search/ requests/s per client, 0 = off"
        )
        parser.add_argument("--access-log", default=defaults.access_log, help='log path and format, or "off"')
        parser.add_argument("--standalone", metavar="PREFIX", help="a complete nginx.conf keeping its files in PREFIX")
        parser.add_argument("--output", "-o", help="write to this file instead of standard output")

    def handle(self, *args, **options) -> None:
        names = options["server_names"] or NginxSite().server_names
        tls = not options["no_tls"]
        letsencrypt = Path("/etc/letsencrypt/live") / names[0]
        for upstream in options["upstreams"] or []:
            if not upstream.startswith("unix:") and ":" not in upstream:
                raise CommandError(f"--upstream must be HOST:PORT or unix:PATH (got {upstream!r}).")
        if options["microcache"] < 0:
            raise CommandError("--microcache cannot be negative.")
        site = NginxSite(
            server_names=names,
            upstreams=options["upstreams"] or NginxSite().upstreams,
            tls=tls,
            certificate=options["certificate"] or str(letsencrypt / "fullchain.pem"),
            certificate_key=options["certificate_key"] or str(letsencrypt / "privkey.pem"),
            http_listen=options["http_listen"],
            https_listen=options["https_listen"],
            cache_dir=options["cache_dir"],
            cache_max_size=options["cache_max_size"],
            microcache_seconds=options["microcache"],
            purge_listen=None if options["no_purge"] else options["purge_listen"],
            purge_allow=options["purge_allow"] or ["127.0.0.1"],
            search_rate=options["search_rate"],
            access_log=options["access_log"],
        )
        text = render_standalone(site, options["standalone"]) if options["standalone"] else render_site(site)
        if options["output"]:
            Path(options["output"]).write_text(text)
        else:
            self.stdout.write(text, ending="")
