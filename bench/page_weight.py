"""Bytes a phone downloads for a first visit to an article (empty cache), measured in Chromium.

Usage: ./run setup-bench   (once: Chromium)
       .venv/bin/python bench/page_weight.py [--path /section/id/slug/] [--width 390 --height 844 --dpr 3]

Builds the demo newsroom in a fresh data directory, starts `murasil serve`, opens an article in a new
browser context (an empty cache) with a phone's viewport, waits for the page to settle, scrolls to
the end (so lazy photos load as a reader's would) and adds up the bytes on the wire of every
response (CDP `Network.loadingFinished.encodedDataLength`: compressed body plus headers). Prints the
total without photos (the 100 KB budget), the photos a reader sees above the fold, and all photos
after scrolling, by resource type. The reference is the 100 KB budget.
"""

import argparse
import os
import re
import subprocess
import tempfile
import urllib.request
from collections import defaultdict
from pathlib import Path

from common import MURASIL, ROOT, running_server

BUDGET = 100 * 1024
CHROMIUM_ARGS = [
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def measure(base: str, path: str, width: int, height: int, dpr: float, screenshot: str | None = None) -> dict:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        context = browser.new_context(
            viewport={"width": width, "height": height},
            device_scale_factor=dpr,
            is_mobile=True,
            has_touch=True,
            user_agent="Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/156.0 Mobile Safari/537.36",
        )
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        requests, finished, phase = {}, {}, {"now": "first view"}

        def on_response(event):
            requests[event["requestId"]] = (event["type"], event["response"]["url"], phase["now"])

        cdp.on("Network.responseReceived", on_response)
        cdp.on("Network.loadingFinished", lambda e: finished.__setitem__(e["requestId"], e["encodedDataLength"]))
        page.goto(base + path, wait_until="networkidle")
        if screenshot:
            page.screenshot(path=screenshot)
        phase["now"] = "after scrolling"
        for _ in range(40):
            page.mouse.wheel(0, height)
            page.wait_for_timeout(100)
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(500)
        browser.close()

    totals = defaultdict(int)
    files = []
    for request_id, size in finished.items():
        kind, url, when = requests.get(request_id, ("Other", "?", "?"))
        key = "Image" if kind == "Image" else kind
        totals[(key, when)] += size
        files.append((size, kind, when, url.replace(base, "")))
    return {"totals": totals, "files": sorted(files, reverse=True)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--path", help="article path (default: the demo's first article with a photo in its body)")
    parser.add_argument("--width", type=int, default=390)
    parser.add_argument("--height", type=int, default=844)
    parser.add_argument("--dpr", type=float, default=3)
    parser.add_argument("--screenshot", help="save the first screen as this PNG")
    parser.add_argument("--data-dir", help="an existing data directory (default: build the demo in a new one)")
    args = parser.parse_args()
    if not Path("/usr/bin/chromium").exists():
        subprocess.run([str(ROOT / "run"), "setup-bench"], check=True)

    data = Path(args.data_dir) if args.data_dir else Path(tempfile.mkdtemp(prefix="murasil-bench-weight-"))
    env = {**os.environ, "MURASIL_DATA_DIR": str(data), "DJANGO_SETTINGS_MODULE": "murasil.settings.local"}
    env.pop("REDIS_URL", None)
    env.pop("DATABASE_URL", None)
    if not args.data_dir:
        subprocess.run([*MURASIL, "demo", "--no-serve"], cwd=ROOT, env=env, check=True, capture_output=True)
    with running_server(env, None) as base:
        path = args.path
        if not path:
            home = urllib.request.urlopen(base + "/").read().decode()  # noqa: S310 - our own local server
            for candidate in re.findall(r'href="(/[a-z-]+/\d+/[^"#]+/)"', home):
                html = urllib.request.urlopen(base + candidate).read().decode()  # noqa: S310
                if 'class="body-image"' in html and 'class="featured-image"' in html:
                    path = candidate
                    break
        result = measure(base, path, args.width, args.height, args.dpr, args.screenshot)

    totals = result["totals"]
    print(f"article {path}, viewport {args.width}x{args.height} @{args.dpr}x, empty cache, bytes on the wire")
    kinds = sorted({kind for kind, _ in totals})
    print(f"{'type':<14}{'first view KB':>15}{'after scrolling KB':>20}")
    for kind in kinds:
        first, later = totals[(kind, "first view")] / 1024, totals[(kind, "after scrolling")] / 1024
        print(f"{kind:<14}{first:>15.1f}{later:>20.1f}")
    without_photos = sum(size for (kind, _), size in totals.items() if kind != "Image")
    first_photos = totals[("Image", "first view")]
    all_photos = first_photos + totals[("Image", "after scrolling")]
    print(f"without photos: {without_photos / 1024:.1f} KB ({without_photos / BUDGET:.2f} × the 100 KB budget)")
    print(f"with the photos of the first screen: {(without_photos + first_photos) / 1024:.1f} KB")
    print(f"with every photo after scrolling to the end: {(without_photos + all_photos) / 1024:.1f} KB")
    print("largest responses:")
    for size, kind, when, url in result["files"][:12]:
        print(f"  {size / 1024:7.1f} KB  {kind:<11} {when:<16} {url[:90]}")


if __name__ == "__main__":
    main()
