"""The privacy sweep: a newsroom with everything a reader must not see — drafts, a scheduled article, an
expired one, a withdrawn one, unpublished edits of a live article, a draft static page, comments
awaiting moderation, held as spam or trashed, and every commenter's email and IP address — then a crawl
of every public page, feed, sitemap and API answer: nothing of it may appear, not in the text, not in a
link (percent-encoded slugs are decoded first), not in a header.

The crawl starts at the home page and follows every same-site link of HTML pages (href, src, action),
the <loc> of sitemaps, the <link> of feeds and the links of API answers, plus the known addresses that
no page links to (feeds, the API's routes, search and suggestions for the hidden words, the comment
endpoints, and the addresses of the hidden things themselves, which must answer 404).
"""

import contextlib
import datetime
import json
import re
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from wagtail.rich_text import RichText

from murasil.comments.models import Comment
from murasil.core.site_url import sync_default_site
from murasil.news.models import Article
from tests.comments.helpers import make_comment
from tests.factories import make_article, make_static_page
from tests.newsroom import NewsroomTestCase

HTML_LINK = re.compile(r'(?:href|src|action)="([^"#]+)')
XML_LINK = re.compile(r"<(?:loc|link)>([^<]+)</(?:loc|link)>|<link[^>]*\shref=\"([^\"]+)\"")
EMAILS = ["hidden.reader@secret-mail.example", "pending.person@secret-mail.example", "spammer@secret-mail.example"]
IPS = ["203.0.113.77", "198.51.100.201", "2001:db8::7a3"]
SKIP_PREFIXES = ("/admin", "/static/", "/media/", "/documents/", "/comments/post/", "/readership/")
MAX_PAGES = 600


@override_settings(LANGUAGE_CODE="ar")
class TestPrivacySweep(NewsroomTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        sync_default_site()
        now = timezone.now()
        # Each hidden thing carries words found nowhere else, in its headline and in its body.
        cls.markers = {
            "draft": ("مسودة صفقة الميناء الخفية", "نص المسودة عن الصفقة الخفية"),
            "scheduled": ("خبر مجدول عن قمة الربيع", "تفاصيل القمة المجدولة سلفا"),
            "expired": ("عرض منتهي الصلاحية للتمور", "نص العرض المنتهي أمس"),
            "withdrawn": ("خبر مسحوب عن المطار", "نص الخبر المسحوب من النشر"),
            "unpublished edit": ("عنوان معدل لم ينشر بعد", "فقرة معدلة تنتظر المحرر"),
            "static draft": ("صفحة سياسة لم تنشر", "نص صفحة السياسة المخفية"),
            "pending comment": ("تعليق ينتظر المراجعة عن الجسر", ""),
            "spam comment": ("إعلان مزعج محجوز", ""),
            "trashed comment": ("تعليق محذوف بقرار المحرر", ""),
            "comment on a draft": ("تعليق على خبر لم ينشر", ""),
        }
        m = cls.markers
        draft = make_article(cls.iraq, m["draft"][0], publish=False, tags=("بغداد",), reporters=(cls.anas,),
                             paragraphs=(m["draft"][1],))  # fmt: skip
        scheduled = make_article(cls.sport, m["scheduled"][0], publish=False, tags=("النقل",),
                                 paragraphs=(m["scheduled"][1],))  # fmt: skip
        scheduled.go_live_at = now + datetime.timedelta(days=2)
        scheduled.save_revision().publish()
        expired = make_article(cls.sport, m["expired"][0], tags=("بغداد",), reporters=(cls.huda,),
                               paragraphs=(m["expired"][1],))  # fmt: skip
        Article.objects.filter(pk=expired.pk).update(expire_at=now - datetime.timedelta(minutes=5))
        withdrawn = make_article(cls.iraq, m["withdrawn"][0], tags=("بغداد",), reporters=(cls.anas,),
                                 paragraphs=(m["withdrawn"][1],))  # fmt: skip
        make_comment(withdrawn, "تعليق على خبر سحب لاحقا", email=EMAILS[0], ip_address=IPS[0])
        withdrawn.unpublish()
        # A live article with a newer draft: the published version shows, the draft nowhere.
        live = Article.objects.get(pk=cls.related.pk)
        live.title = m["unpublished edit"][0]
        live.body = [("paragraph", RichText(f"<p>{m['unpublished edit'][1]}</p>"))]
        live.save_revision()
        page = make_static_page("سياسة الخصوصية", "policy-draft", "<p>نحترم خصوصية القراء.</p>")
        page.title, page.body = m["static draft"][0], f"<p>{m['static draft'][1]}</p>"
        page.save_revision()  # an unpublished edit of a live page…
        hidden_page = make_static_page(m["static draft"][0] + " ٢", "hidden-page", f"<p>{m['static draft'][1]}</p>")
        hidden_page.unpublish()  # …and a page taken down
        cls.hidden_articles = [draft, scheduled, expired, withdrawn]

        for status, key, email, ip in (
            (Comment.Status.PENDING, "pending comment", EMAILS[1], IPS[1]),
            (Comment.Status.SPAM, "spam comment", EMAILS[2], IPS[2]),
            (Comment.Status.TRASH, "trashed comment", EMAILS[0], IPS[0]),
        ):
            cls.last_hidden_comment = make_comment(cls.lead, m[key][0], status=status, email=email, ip_address=ip)
        make_comment(draft, m["comment on a draft"][0], email=EMAILS[0], ip_address=IPS[0])
        cls.approved = make_comment(cls.lead, "تعليق منشور يراه الجميع", email=EMAILS[0], ip_address=IPS[0],
                                    user_agent="SecretAgent/9", url="https://reader.example/")  # fmt: skip
        make_comment(cls.lead, "رد منشور على التعليق", parent=cls.approved, email=EMAILS[1], ip_address=IPS[1])
        Article.objects.filter(pk=cls.lead.pk).update(comment_count=2)

    def known_urls(self) -> list[str]:
        m = self.markers
        urls = ["/", "/feed/", "/feed/atom/", "/sitemap.xml", "/news-sitemap.xml", "/robots.txt",
                reverse("comments:feed"), "/wp-json/", "/?rest_route=/"]  # fmt: skip
        for name in ("posts", "pages", "categories", "tags", "users", "comments", "media"):
            urls += [f"/wp-json/wp/v2/{name}?per_page=100", f"/wp-json/wp/v2/{name}?per_page=100&_embed=1"]
            urls.append(f"/wp-json/wp/v2/{name}?per_page=100&status=draft,pending,private,future")
            urls.append(f"/?rest_route=/wp/v2/{name}&per_page=100&context=edit")
        urls += [f"/wp-json/wp/v2/comments?post={a.pk}" for a in (self.lead, *self.hidden_articles)]
        for headline, body in m.values():
            for words in filter(None, (headline, body)):
                urls += [f"/search/?q={words}", f"/search/suggest/?q={words}", f"/wp-json/wp/v2/posts?search={words}"]
        for article in self.hidden_articles:
            urls += [
                f"/{article.section.slug}/{article.pk}/",
                f"/wp-json/wp/v2/posts/{article.pk}",
                reverse("comments:article_feed", args=[article.pk]),
                reverse("comments:mine", args=[article.pk]),
            ]
        urls += [
            reverse("comments:article_feed", args=[self.lead.pk]),
            reverse("comments:mine", args=[self.lead.pk]),
            reverse("comments:token"),
            reverse("comments:reply", args=[self.lead.pk, self.approved.pk]),
            reverse("comments:reply", args=[self.lead.pk, self.last_hidden_comment.pk]),
            f"/wp-json/wp/v2/comments/{self.last_hidden_comment.pk}",
            "/policy-draft/",
            "/hidden-page/",
        ]
        return urls

    def links_of(self, url: str, response) -> list[str]:
        kind = response.get("Content-Type", "")
        text = response.content.decode(errors="replace")
        if "html" in kind:
            found = HTML_LINK.findall(text)
        elif "xml" in kind:
            found = [a or b for a, b in XML_LINK.findall(text)]
        elif "json" in kind:
            found = re.findall(r'"(?:href|link|url)":"([^"]+)"', text)
        else:
            found = []
        links = []
        for link in found:
            target = urljoin(settings.MURASIL_SITE_URL + url, link.replace("&amp;", "&").replace("\\/", "/"))
            parts = urlsplit(target)
            if parts.netloc not in ("", "testserver", "localhost", urlsplit(settings.MURASIL_SITE_URL).netloc):
                continue
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            if not path.startswith(SKIP_PREFIXES):
                links.append(path)
        return links

    def sweep(self) -> dict:
        seen, queue = {}, self.known_urls()
        while queue and len(seen) < MAX_PAGES:
            url = queue.pop(0)
            if url in seen:
                continue
            response = self.client.get(url)
            seen[url] = response
            if response.status_code == 200:
                queue.extend(link for link in self.links_of(url, response) if link not in seen)
        self.assertLess(len(seen), MAX_PAGES, "the crawl did not finish")
        return seen

    def readable(self, response) -> str:
        """The answer as a reader's software sees it: JSON unescaped, percent-encoded addresses decoded."""
        text = response.content.decode(errors="replace")
        if "json" in response.get("Content-Type", ""):
            with contextlib.suppress(ValueError):
                text = json.dumps(json.loads(text), ensure_ascii=False)
        return text + "\n" + unquote(text)

    def test_nothing_private_on_any_public_surface(self):
        pages = self.sweep()
        secrets = [*EMAILS, *IPS, "secret-mail.example", "SecretAgent"]
        hidden = [words for pair in self.markers.values() for words in pair if words]
        for url, response in pages.items():
            text = self.readable(response)
            headers = str(dict(response.headers)) + str(response.cookies)
            for secret in secrets:
                self.assertNotIn(secret, text, f"{secret} on {url}")
                self.assertNotIn(secret, headers, f"{secret} in the headers of {url}")
            # A search shows the reader's own words back; the other words of the hidden thing must not show.
            asked = unquote(urlsplit(url).query)
            for words in (w for w in hidden if w not in asked):
                self.assertNotIn(words, text, f"unpublished text on {url}")
            for article in self.hidden_articles:
                self.assertNotIn(f"/{article.pk}/{article.slug}", text, f"link to hidden article on {url}")
                self.assertNotIn(f":article:{article.pk}<", text, url)
        # The hidden things' own addresses are not found.
        for article in self.hidden_articles:
            self.assertEqual(pages[f"/{article.section.slug}/{article.pk}/"].status_code, 404)
            self.assertEqual(pages[f"/wp-json/wp/v2/posts/{article.pk}"].status_code, 404)
            self.assertEqual(pages[reverse("comments:article_feed", args=[article.pk])].status_code, 404)
        for path in ("/hidden-page/",):
            self.assertEqual(pages[path].status_code, 404)

        # The sweep did reach what is public: every kind of page, with the published comments on them.
        ok = [url for url, r in pages.items() if r.status_code == 200]
        self.assertGreater(len(ok), 60)
        for expected in (self.lead.get_absolute_url(), "/arab-world/", "/author/anas/", "/about/", "/feed/",
                         "/sitemap.xml", "/wp-json/wp/v2/posts?per_page=100"):  # fmt: skip
            self.assertIn(expected, ok)
        self.assertIn("تعليق منشور يراه الجميع", self.readable(pages[self.lead.get_absolute_url()]))
        self.assertIn("تعليق منشور يراه الجميع", self.readable(pages["/wp-json/wp/v2/comments?per_page=100"]))
        self.assertIn("سياسة الخصوصية", self.readable(pages["/policy-draft/"]))  # the published version
        related = self.readable(pages[self.related.get_absolute_url()])
        self.assertIn(self.related.title, related)
        print(f"\nprivacy sweep: {len(pages)} addresses requested, {len(ok)} answered 200")  # noqa: T201
