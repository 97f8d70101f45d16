"""Builds the Arabic demo newsroom from the original content in `content.py`.

Everything goes through the same models and publishing actions an editor uses, so the demo
exercises revisions, publishing and scheduling for real.
"""

import datetime
import hashlib
from collections.abc import Callable

from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape

from wagtail.images import get_image_model
from wagtail.models import Collection
from wagtail.rich_text import RichText

from murasil.core.models import HomePage, NewsroomSettings, StandardPage
from murasil.news.models import Article, ArticleReporter, LiveUpdate, Reporter, SectionPage, default_breaking_until

from . import content
from .images import news_photo, portrait


def _seed(text: str) -> int:
    return int(hashlib.sha256(text.encode()).hexdigest()[:8], 16)


def _image(title: str, data: bytes, filename: str):
    import io

    image_model = get_image_model()
    image = image_model(title=title, collection=Collection.get_first_root_node())
    image.file = ImageFile(io.BytesIO(data), name=filename)
    image.save()
    return image


def _paragraphs_html(paragraphs: list[str]) -> str:
    return "".join(f"<p>{escape(p)}</p>" for p in paragraphs)


class DemoBuilder:
    def __init__(self, log: Callable[[str], None] = lambda message: None, now: datetime.datetime | None = None):
        self.log = log
        self.now = now or timezone.now()
        self.sections: dict[str, SectionPage] = {}
        self.reporters: dict[str, Reporter] = {}

    def build(self) -> None:
        from murasil.images.backfill import make_all
        from murasil.images.tasks import made_here

        with made_here():
            self._build()
        # Every photo's renditions, so the first reader meets no missing one (the worker would make
        # them within a minute otherwise).
        photos, made = make_all()
        self.log(f"Photo renditions: {made} for {photos} photos.")

    @transaction.atomic
    def _build(self) -> None:
        home = HomePage.objects.get()
        home.title = content.OUTLET_NAME
        home.save_revision().publish()
        conf = NewsroomSettings.load()
        conf.outlet_name = content.OUTLET_NAME
        conf.tagline = content.OUTLET_TAGLINE
        conf.default_source = content.OUTLET_NAME
        conf.footer_text = "جميع الحقوق محفوظة. المحتوى تجريبي كُتب لعرض منصة مراسل."
        conf.save()
        self._sections(home)
        self._static_pages(home)
        self._reporters()
        self._accounts()
        for index, item in enumerate(content.ARTICLES):
            self._article(item, index, state="published")
        for index, item in enumerate(content.DRAFT_ARTICLES):
            self._article(item, 1000 + index, state="draft")
        for index, item in enumerate(content.SCHEDULED_ARTICLES):
            self._article(item, 2000 + index, state="scheduled")
        self._comments()
        self._views()
        # Related lists of the first articles were computed before the later ones existed.
        from murasil.search.index import rebuild

        rebuild()
        self.log(
            f"Demo newsroom: {len(self.sections)} sections, {len(self.reporters)} reporters, "
            f"{len(content.ARTICLES)} published articles, {len(content.DRAFT_ARTICLES)} drafts, "
            f"{len(content.SCHEDULED_ARTICLES)} scheduled, {len(content.COMMENTS)} comments."
        )

    def _comments(self) -> None:
        from murasil.comments.models import Comment

        made: list[Comment] = []
        for position, (slug, name, email, text, status, reply_to, staff) in enumerate(content.COMMENTS):
            article = Article.objects.get(slug=slug)
            posted = article.first_published_at + datetime.timedelta(minutes=20 + 35 * position)
            comment = Comment.objects.create(
                article=article,
                parent=made[reply_to] if reply_to is not None else None,
                name=name,
                email=email,
                text=text,
                status=status,
                is_staff_reply=staff,
                ip_address=f"192.0.2.{10 + position}",
                created_at=min(posted, self.now),
            )
            made.append(comment)

    def _views(self) -> None:
        """Synthetic view counts for the past 30 days, so the dashboard and «الأكثر قراءة» have something
        to show. Generated, not measured: each article gets a seeded random interest, most views on its
        first days, fewer at weekends (Friday and Saturday)."""
        import random

        from murasil.readership.demo_views import synthetic_daily_views

        rows = synthetic_daily_views(
            Article.objects.published().values_list("pk", "slug", "first_published_at"),
            today=timezone.localdate(self.now),
            rng=random.Random(20261129),
        )
        self.log(f"Synthetic view counts: {sum(r.views for r in rows):,} views over 30 days (demo data).")

    def _sections(self, home: HomePage) -> None:
        for slug, name, parent_slug, description in content.SECTIONS:
            parent = self.sections[parent_slug] if parent_slug else home
            section = SectionPage(title=name, slug=slug, description=description, show_in_menus=parent_slug is None)
            parent.add_child(instance=section)
            section.save_revision().publish()
            self.sections[slug] = section

    def _static_pages(self, home: HomePage) -> None:
        for slug, title, paragraphs in content.STATIC_PAGES:
            page = StandardPage(title=title, slug=slug, body=_paragraphs_html(paragraphs))
            home.add_child(instance=page)
            page.save_revision().publish()

    def _reporters(self) -> None:
        for index, (slug, name, job_title, bio) in enumerate(content.REPORTERS):
            photo = _image(name, portrait(index), f"reporter-{slug}.jpg")
            self.reporters[slug] = Reporter.objects.create(
                slug=slug, name=name, job_title=job_title, bio=bio, photo=photo
            )

    def _accounts(self) -> None:
        """The newsroom's people as admin accounts in their groups (reporters, editors, editor-in-chief)."""
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group

        self.accounts = {}
        for username, reporter_slug, first, last, group in content.NEWSROOM_ACCOUNTS:
            user, created = get_user_model().objects.get_or_create(
                username=username,
                defaults={"first_name": first, "last_name": last, "email": f"{username}@newsroom.localhost"},
            )
            if created:
                user.set_unusable_password()
                user.save()
            user.groups.add(Group.objects.get(name=group))
            if reporter_slug:
                Reporter.objects.filter(slug=reporter_slug).update(user=user)
            self.accounts[username] = user

    def _body(self, blocks: list[tuple], slug: str) -> list[tuple]:
        body = []
        for position, block in enumerate(blocks):
            kind = block[0]
            if kind == "p":
                body.append(("paragraph", RichText(f"<p>{escape(block[1])}</p>")))
            elif kind == "h":
                body.append(("heading", block[1]))
            elif kind == "quote":
                body.append(("quote", {"text": block[1], "attribution": block[2] if len(block) > 2 else ""}))
            elif kind == "image":
                image = _image(block[1], news_photo(_seed(f"{slug}-{position}")), f"{slug}-{position}.jpg")
                body.append(("image", {"image": image, "caption": block[1], "credit": content.OUTLET_NAME}))
        return body

    def _article(self, item: dict, index: int, state: str) -> None:
        featured = None
        if item.get("image"):
            featured = _image(item["title"], news_photo(_seed(item["slug"])), f"{item['slug']}.jpg")
        article = Article(
            section=self.sections[item["section"]],
            title=item["title"],
            slug=item["slug"],
            kicker=item.get("kicker", ""),
            standfirst=item.get("standfirst", ""),
            source=item.get("source", ""),
            body=self._body(item.get("body", []), item["slug"]),
            featured_image=featured,
            featured_image_caption=(item.get("image") or {}).get("caption", ""),
            featured_image_credit=(item.get("image") or {}).get("credit", ""),
            is_featured=item.get("featured", False),
            editorial_notes=item.get("notes", ""),
            live=False,
        )
        published_at = self.now - datetime.timedelta(hours=item.get("hours_ago", 1))
        if item.get("breaking"):
            article.breaking_until = default_breaking_until(published_at)
        if state == "published":
            article.first_published_at = published_at
        article.save()
        for order, slug in enumerate(item.get("reporters", [])):
            ArticleReporter.objects.create(article=article, reporter=self.reporters[slug], sort_order=order)
        article.tags.add(*item.get("tags", []))
        article.save()
        if state == "draft":
            submitter = self.accounts.get(item.get("submitted_by", ""))
            Article.objects.filter(pk=article.pk).update(owner=submitter)
            article.owner = submitter
            revision = article.save_revision(user=submitter)
            if submitter:
                self._submit_for_review(article, revision, submitter)
            return
        if state == "scheduled":
            article.go_live_at = self.now + datetime.timedelta(hours=item.get("publish_in_hours", 24))
            article.save_revision().publish()
            return
        if item.get("live"):
            article.live_coverage = True
            article.live_updates = [
                LiveUpdate(
                    posted_at=self.now - datetime.timedelta(minutes=minutes),
                    author=self.reporters[slug] if slug else None,
                    text=f"<p>{escape(text)}</p>",
                )
                for minutes, slug, text in item["live"]
            ]
        article.save_revision().publish()
        # Publishing stamps "now"; the demo spreads its archive over the past weeks instead.
        Article.objects.filter(pk=article.pk).update(last_published_at=published_at)

    def _submit_for_review(self, article: Article, revision, user) -> None:
        """Start «مراجعة التحرير» as the reporter's "submit for review" does, without sending its emails."""
        from django.test import override_settings

        workflow = article.get_workflow()
        if workflow is None:
            return
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            workflow.start(article, user)
