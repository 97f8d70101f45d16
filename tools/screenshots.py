"""Refresh the screenshots in docs/screenshots from a running demo site.

Usage: ./run demo (in another terminal), then
       .venv/bin/python tools/screenshots.py [--base http://127.0.0.1:8000]
"""

import argparse
import re
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
ARGS = ["--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--no-first-run"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--credentials", help="file with the admin user and password (var/demo-admin.txt)")
    args = parser.parse_args()
    home = urllib.request.urlopen(args.base + "/").read().decode()  # noqa: S310 - local demo server
    article = re.search(r'href="(/[\w-]+/\d+/[^"]+/)"', home).group(1)
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for name, path in {"home": "/", "article": article, "section": "/arab-world/"}.items():
            for viewport, size in VIEWPORTS.items():
                page = browser.new_page(viewport=size, device_scale_factor=1)
                page.goto(args.base + path, wait_until="networkidle")
                page.screenshot(path=str(OUT / f"{name}-{viewport}.png"))
                page.close()
        if args.credentials:
            user, password = Path(args.credentials).read_text().split()[:2]
            page = browser.new_page(viewport=VIEWPORTS["desktop"])
            page.goto(args.base + "/admin/login/")
            page.fill("#id_username", user)
            page.fill("#id_password", password)
            page.click("button[type=submit]")
            page.wait_for_load_state("networkidle")
            page.goto(args.base + "/admin/snippets/news/article/", wait_until="networkidle")
            page.screenshot(path=str(OUT / "admin-articles.png"))
        browser.close()
    print(f"screenshots written to {OUT}")


if __name__ == "__main__":
    main()
