"""axe-core in Chromium on the reader pages, on a phone and on a desktop: no serious or critical violation.

axe-core comes from npm (package.json, `npm ci`, which ./run test does). The site's CSP rightly refuses
injected inline scripts, so the axe check runs in a browser context that bypasses CSP; it only adds the
axe script and does not change how the page renders. Minor and moderate findings are printed.
"""

import json
import os
import sys
from pathlib import Path

from django.urls import reverse
from django.utils import timezone

import pytest

from murasil.comments.models import Comment
from tests.factories import ensure_site, make_article, make_image, make_reporter, make_section, make_static_page

from .base import SHOTS, BrowserTestCase

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
# WCAG 2.0/2.1/2.2 A and AA, plus axe's best practices (landmarks, headings, region).
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
BLOCKING = {"serious", "critical"}


def axe_path() -> Path:
    if not AXE.is_file():
        message = f"{AXE} is missing: run `npm ci --no-audit --no-fund` (./run test does)"
        if os.environ.get("CI") == "true":
            pytest.fail(message + ", and CI=true requires the accessibility checks")
        pytest.skip(message)
    return AXE


def describe(violation: dict) -> str:
    targets = [" ".join(node["target"]) for node in violation["nodes"][:3]]
    more = f" (+{len(violation['nodes']) - 3})" if len(violation["nodes"]) > 3 else ""
    return f"{violation['impact']}: {violation['id']} — {violation['help']} at {', '.join(targets)}{more}"


class TestAccessibilityInChromium(BrowserTestCase):
    def setUp(self):
        axe_path()  # before building the newsroom: fail or skip at once
        ensure_site()
        make_static_page("من نحن", "about", "<p>مؤسسة إعلامية مستقلة.</p>")
        world = make_section("عربي و دولي", "arab-world")
        self.iraq = make_section("العراق", "iraq", parent=world)
        reporter = make_reporter("ياسر الحلو", "yasser", photo=make_image(roles=("reporter",)))
        for i in range(3):
            make_article(
                self.iraq,
                f"تقرير رقم {i} عن موسم الحصاد في سهول نينوى",
                standfirst="المزارعون يتوقعون محصولاً أفضل من العام الماضي.",
                featured_image=make_image(),
                tags=("زراعة",),
            )
        make_article(self.iraq, "جلسة لمجلس المحافظة تناقش موازنة العام المقبل")  # a card without a photo
        self.article = make_article(
            self.iraq,
            "افتتاح مستشفى جديد للأطفال في البصرة بسعة مئتي سرير",
            kicker="صحة",
            standfirst="المستشفى يخدم المحافظة والمناطق المجاورة ويضم قسماً للطوارئ.",
            reporters=(reporter,),
            featured_image=make_image(),
            featured_image_caption="مبنى المستشفى يوم الافتتاح",
            tags=("صحة", "البصرة"),
            paragraphs=tuple(f"فقرة {i} من تقرير المستشفى الجديد وخدماته للمرضى." for i in range(1, 8)),
            is_breaking=True,
        )
        self.tag_slug = self.article.tags.get(name="صحة").slug
        approved = Comment.objects.create(
            article=self.article,
            name="نور",
            email="noor@example.org",
            text="خبر مفرح، نحتاج مثله في كل محافظة.",
            status=Comment.Status.APPROVED,
            moderated_at=timezone.now(),
        )
        Comment.objects.create(
            article=self.article,
            parent=approved,
            name="فريق التحرير",
            email="newsroom@example.org",
            text="شكراً لك، سنتابع افتتاح المستشفيات الأخرى.",
            status=Comment.Status.APPROVED,
            is_staff_reply=True,
            moderated_at=timezone.now(),
        )

    def audit(self, page, name: str, viewport: str, include: str | None = None) -> list[dict]:
        page.add_script_tag(path=str(axe_path()))
        context = json.dumps({"include": [include]} if include else {"exclude": []})
        result = page.evaluate(
            f"axe.run({context}, {{runOnly: {{type: 'tag', values: {json.dumps(TAGS)}}}, resultTypes: ['violations']}})"
        )
        counts = (len(result["passes"]), len(result["incomplete"]), len(result["violations"]))
        sys.stdout.write(f"\naxe {name} [{viewport}]: {counts[0]} rules passed, {counts[1]} to review, ")
        sys.stdout.write(f"{counts[2]} violated\n")
        for violation in result["violations"]:
            sys.stdout.write(f"  {describe(violation)}\n")
        for check in result["incomplete"]:  # what axe could not decide, e.g. text over an image
            sys.stdout.write(f"  to review: {describe(check)}\n")
        return [v for v in result["violations"] if v["impact"] in BLOCKING]

    def check(self, viewport: str) -> list[str]:
        context = self.browser.new_context(viewport=VIEWPORTS[viewport], locale="ar", bypass_csp=True)
        context.set_default_timeout(10_000)
        page = context.new_page()
        blocking = {}
        try:
            pages = [
                ("home", "/"),
                ("section", self.iraq.url),
                ("article", self.article.get_absolute_url()),
                ("reporter", reverse("news:reporter", args=["yasser"])),
                ("tag", reverse("news:tag", args=[self.tag_slug])),
                ("search", "/search/?q=" + "مستشفى"),
            ]
            for name, path in pages:
                page.goto(self.live_server_url + path)
                page.evaluate("document.fonts.ready.then(() => true)")  # text boxes measured in the web fonts
                self.assertEqual(page.evaluate("[document.documentElement.lang, document.dir]"), ["ar", "rtl"])
                if name == "search":
                    page.locator("details.search-filters summary").click()  # the filters, open
                page.screenshot(path=str(SHOTS / f"a11y-{name}-{viewport}.png"), full_page=True)
                blocking[name] = self.audit(page, name, viewport)

            # Search as you type: the box with its list of headlines open.
            box = page.locator("#search-q")
            box.fill("")
            box.press_sequentially("مستش", delay=30)
            page.locator("#search-suggestions [role=option]").first.wait_for()
            box.press("ArrowDown")
            page.screenshot(path=str(SHOTS / f"a11y-search-suggestions-{viewport}.png"))
            blocking["search suggestions"] = self.audit(page, "search suggestions", viewport)

            # The comment form, in view, after a failed submit shows its error messages.
            page.goto(self.live_server_url + self.article.get_absolute_url())
            page.evaluate("document.fonts.ready.then(() => true)")
            form = page.locator("#respond")
            form.scroll_into_view_if_needed()
            form.get_by_role("button", name="أرسل التعليق").click()
            page.locator("#respond .field-error").first.wait_for()
            form.screenshot(path=str(SHOTS / f"a11y-comment-form-{viewport}.png"))
            blocking["comment form"] = self.audit(page, "comment form", viewport, include="#comments")
        finally:
            context.close()
        return [f"{name} [{viewport}]: {describe(v)}" for name, violations in blocking.items() for v in violations]

    def test_reader_pages_on_phone_and_desktop(self):
        # One test for both viewports: the newsroom (photos and their renditions) is built once.
        found = self.check("phone") + self.check("desktop")
        self.assertEqual(found, [], "serious or critical accessibility violations")
