"""The newsroom's content: sections (pages), reporters, and articles (snippets, not pages).

Articles are an ordinary model with Wagtail's snippet mixins rather than pages: a news archive
reaches 100k–1M items and Wagtail's page tree strains with that many children (see DESIGN.md).
"""

import datetime
import math
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import strip_tags
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, ObjectList, PublishingPanel, TabbedInterface
from wagtail.fields import RichTextField, StreamField
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    Orderable,
    Page,
    PreviewableMixin,
    RevisionMixin,
    WorkflowMixin,
)
from wagtail.search import index

from murasil.core.sanitize import clean_body_data, strip_bidi_overrides

from .blocks import ArticleBodyBlock

# Arabic readers average about 180 words a minute on news copy.
WORDS_PER_MINUTE = 180


class SectionPage(Page):
    """A news section (قسم). Sections nest: "عربي و دولي" › "العراق"."""

    description = models.CharField(_("description"), max_length=300, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("description")]
    parent_page_types = ["core.HomePage", "news.SectionPage"]
    subpage_types = ["news.SectionPage"]

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def clean(self) -> None:
        super().clean()
        # Article URLs carry only the section's own slug, so it must be unique among all sections.
        clash = SectionPage.objects.filter(slug=self.slug).exclude(pk=self.pk)
        if clash.exists():
            raise ValidationError({"slug": _("Another section already uses this slug.")})

    def get_context(self, request, *args, **kwargs):
        from .views import section_archive_context

        context = super().get_context(request, *args, **kwargs)
        context.update(section_archive_context(request, self))
        return context


class Reporter(index.Indexed, models.Model):
    """A journalist whose name appears in bylines and who has a page at /author/<slug>/."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True, allow_unicode=True)
    job_title = models.CharField(_("job title"), max_length=120, blank=True)
    bio = models.TextField(_("biography"), blank=True)
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    user = models.OneToOneField(
        "auth.User",
        verbose_name=_("admin account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reporter",
        help_text=_("The admin account this reporter signs in with, if any."),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("job_title"),
        FieldPanel("bio"),
        FieldPanel("photo"),
        FieldPanel("user"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        verbose_name = _("reporter")
        verbose_name_plural = _("reporters")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("news:reporter", kwargs={"slug": self.slug})


class ArticleTag(TaggedItemBase):
    content_object = ParentalKey("news.Article", on_delete=models.CASCADE, related_name="tagged_items")


def default_breaking_until(start: "datetime.datetime | None" = None) -> "datetime.datetime":
    """The end of a breaking story's usual time in the strip: MURASIL_BREAKING_HOURS after `start` (now)."""
    return (start or timezone.now()) + datetime.timedelta(hours=settings.MURASIL_BREAKING_HOURS)


class ArticleQuerySet(models.QuerySet):
    def published(self) -> "ArticleQuerySet":
        """What a reader may see: live, already published, not expired. Every public surface uses this."""
        # No "first_published_at <= now" here: Wagtail stamps it at publish time, scheduled items stay
        # live=False until then, and a second bound on that column would stop SQLite using the
        # keyset range in the archive index (it picks one upper bound and scans from the other).
        now = timezone.now()
        return self.filter(live=True).filter(Q(expire_at__isnull=True) | Q(expire_at__gt=now))

    def newest_first(self) -> "ArticleQuerySet":
        return self.order_by("-first_published_at", "-id")

    def for_cards(self, *extra_fields: str) -> "ArticleQuerySet":
        """What a list of article cards needs, in a fixed number of queries (renditions included);
        `extra_fields` are loaded too (the search page's snippets read the body)."""
        from wagtail.images import get_image_model

        images = get_image_model().objects.prefetch_renditions()
        return (
            self.select_related("section")
            .prefetch_related(models.Prefetch("featured_image", queryset=images))
            .only(
                "id",
                "title",
                "slug",
                "kicker",
                "standfirst",
                "first_published_at",
                "last_published_at",
                "breaking_until",
                "word_count",
                "comment_count",
                "featured_image",
                "root_section",
                "section__id",
                "section__title",
                "section__slug",
                "section__url_path",
                *extra_fields,
            )
        )


class Article(
    WorkflowMixin, DraftStateMixin, LockableMixin, RevisionMixin, PreviewableMixin, index.Indexed, ClusterableModel
):
    """A news article. Its URL /<section>/<id>/<slug>/ keeps working when headline, slug or section change."""

    section = models.ForeignKey(
        SectionPage, verbose_name=_("section"), on_delete=models.PROTECT, related_name="articles"
    )
    # The top-level section, kept in step with `section`, so a parent section's archive is one index range.
    root_section = models.ForeignKey(SectionPage, on_delete=models.PROTECT, related_name="+", editable=False, null=True)
    kicker = models.CharField(_("kicker"), max_length=60, blank=True, help_text=_("A short label above the headline."))
    title = models.CharField(_("headline"), max_length=255)
    slug = models.SlugField(
        _("slug"),
        max_length=255,
        allow_unicode=True,
        blank=True,
        help_text=_("Made from the headline when left empty."),
    )
    standfirst = models.TextField(
        _("standfirst"),
        blank=True,
        max_length=600,
        help_text=_("One or two sentences under the headline; also the excerpt."),
    )
    body = StreamField(ArticleBodyBlock(), verbose_name=_("body"), blank=True)
    featured_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("featured photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    featured_image_caption = models.CharField(_("photo caption"), max_length=300, blank=True)
    featured_image_credit = models.CharField(
        _("photo credit"),
        max_length=120,
        blank=True,
        help_text=_("The photographer or agency only; the page adds “Photo:” itself."),
    )
    source = models.CharField(
        _("source line"),
        max_length=120,
        blank=True,
        help_text=_("Outlet or place shown after the byline, e.g. “مراسل – بغداد”."),
    )
    # Breaking news (عاجل) until this time: the strip shows published articles whose time is still ahead.
    breaking_until = models.DateTimeField(
        _("breaking news until"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("Shown in the breaking-news strip until this time. Leave empty for a normal story."),
    )
    live_coverage = models.BooleanField(
        _("live coverage"),
        default=False,
        help_text=_("A running story: the page is marked live and shows its updates newest first."),
    )
    # Staff only: never rendered on a reader surface, never indexed (tests/news/test_newsroom.py).
    editorial_notes = models.TextField(
        _("editorial notes"),
        blank=True,
        help_text=_("For the newsroom only: sources, fact checks, what is still missing. Readers never see this."),
    )
    is_featured = models.BooleanField(
        _("featured"), default=False, help_text=_("Candidate for the home page lead story.")
    )
    comments_open = models.BooleanField(
        _("comments open"), default=True, help_text=_("Comments also close by themselves after the set number of days.")
    )
    # Approved comments, kept in step by the comments app so lists need no extra query.
    comment_count = models.PositiveIntegerField(default=0, editable=False)
    word_count = models.PositiveIntegerField(default=0, editable=False)
    # "مقالات ذات صلة", computed by the search app when the article is published or edited.
    related_ids = models.JSONField(default=list, blank=True, editable=False)
    # The account that created the article (set by the admin's add view). A reporter may edit only the
    # articles they own; editors may edit all (news/permissions.py).
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="owned_articles",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    tags = ClusterTaggableManager(through=ArticleTag, blank=True, verbose_name=_("tags"))

    objects = ArticleQuerySet.as_manager()

    content_panels = [
        FieldPanel("section"),
        FieldPanel("kicker"),
        FieldPanel("title"),
        FieldPanel("standfirst"),
        InlinePanel("article_reporters", heading=_("Reporters"), label=_("reporter"), min_num=0),
        FieldPanel("source"),
        MultiFieldPanel(
            [FieldPanel("featured_image"), FieldPanel("featured_image_caption"), FieldPanel("featured_image_credit")],
            heading=_("Featured photo"),
        ),
        FieldPanel("body"),
        FieldPanel("tags"),
    ]
    live_panels = [
        FieldPanel("live_coverage"),
        InlinePanel("live_updates", heading=_("Live updates"), label=_("update"), min_num=0),
    ]
    notes_panels = [FieldPanel("editorial_notes")]
    promote_panels = [
        FieldPanel("slug"),
        FieldPanel("breaking_until"),
        FieldPanel("is_featured"),
        FieldPanel("comments_open"),
        PublishingPanel(),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Content")),
            ObjectList(live_panels, heading=_("Live coverage")),
            ObjectList(promote_panels, heading=_("Publishing")),
            ObjectList(notes_panels, heading=_("Editorial notes")),
        ]
    )
    search_fields = [index.SearchField("title"), index.AutocompleteField("title"), index.FilterField("section")]

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        indexes = [
            # Keyset pagination: newest first within a section, a parent section, or the whole site.
            models.Index(fields=["section", "-first_published_at", "-id"], name="article_section_recent"),
            models.Index(fields=["root_section", "-first_published_at", "-id"], name="article_root_recent"),
            models.Index(fields=["live", "-first_published_at", "-id"], name="article_live_recent"),
        ]

    def __str__(self) -> str:
        return self.title or str(_("Untitled article"))

    def make_slug(self) -> str:
        return slugify(self.title, allow_unicode=True)[:200] or "article"

    def clean(self) -> None:
        super().clean()
        # Made here as well as in save(), so revisions and previews carry the slug too.
        if not self.slug:
            self.slug = self.make_slug()
        self.sanitize()

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = self.make_slug()
        if self.section_id:
            self.root_section_id = root_section_id_for(self.section)
        self.sanitize()
        self.word_count = count_words(self.body_text())
        super().save(*args, **kwargs)

    def sanitize(self) -> None:
        """Clean the body's rich text and embed addresses (core/sanitize.py) before anything stores it."""
        raw = list(self.body.raw_data) if self.body else []
        cleaned = clean_body_data(raw)
        if cleaned != raw:
            self.body = cleaned
        for name in ("title", "kicker", "standfirst", "source"):
            setattr(self, name, strip_bidi_overrides(getattr(self, name)))

    def get_absolute_url(self) -> str | None:
        """None until the article is saved (Wagtail's previews render unsaved articles)."""
        if not self.pk or not self.section_id:
            return None
        return reverse(
            "news:article", kwargs={"section": self.section.slug, "pk": self.pk, "slug": self.slug or self.make_slug()}
        )

    def get_url(self, request=None) -> str:  # Wagtail's admin calls this for "view live" links.
        return self.get_absolute_url()

    @property
    def full_url(self) -> str | None:
        from django.conf import settings

        path = self.get_absolute_url()
        return settings.MURASIL_SITE_URL + path if path else None

    def get_preview_template(self, request, mode_name):
        return "news/article_page.html"

    def get_preview_context(self, request, mode_name):
        context = super().get_preview_context(request, mode_name)
        context.update({"article": self, "related_articles": [], "is_preview": True})
        return context

    def body_text(self) -> str:
        """The readable text of the body, for word counts and (later) search."""
        # The stored JSON, not the blocks: building RichText and StructValue objects for every
        # block costs more than the text itself (search snippets read ten bodies a page).
        parts = []
        for block in self.body.raw_data if self.body else []:
            kind, value = block["type"], block["value"]
            if kind == "paragraph":
                parts.append(strip_tags(value))
            elif kind == "heading":
                parts.append(value)
            elif kind == "quote":
                parts.append(value["text"])
        return "\n".join(parts)

    @property
    def is_breaking(self) -> bool:
        """In the breaking-news strip now (when published)."""
        return self.breaking_until is not None and self.breaking_until > timezone.now()

    @cached_property
    def updates_newest_first(self) -> list["LiveUpdate"]:
        """The live updates, newest first (also on previews, where they are not saved yet)."""
        updates = self.live_updates.select_related("author").all()
        return sorted(updates, key=lambda u: (u.posted_at, u.pk or 0), reverse=True)

    @property
    def reading_minutes(self) -> int:
        return max(1, math.ceil(self.word_count / WORDS_PER_MINUTE))

    @cached_property
    def reporters(self) -> list[Reporter]:
        return [link.reporter for link in self.article_reporters.all()]

    @property
    def was_updated(self) -> bool:
        """Whether a later publish is worth telling readers about (more than a few minutes later)."""
        if not (self.first_published_at and self.last_published_at):
            return False
        return (self.last_published_at - self.first_published_at).total_seconds() > 300

    def related_candidates(self, limit: int = 4) -> list[int]:
        """Ids from the stored related list, twice as many as shown (some may be withdrawn since)."""
        return [pk for pk in (self.related_ids or []) if pk != self.pk][: limit * 2]

    def related_articles(self, limit: int = 4) -> list["Article"]:
        """The stored related list (murasil.search.related), without anything a reader may not see."""
        ids = self.related_candidates(limit)
        if not ids:
            return []
        by_id = {a.pk: a for a in Article.objects.published().for_cards().filter(pk__in=ids)}
        return [by_id[pk] for pk in ids if pk in by_id][:limit]


class ArticleReporter(Orderable):
    """One reporter in an article's byline; the order is the byline's order."""

    article = ParentalKey(Article, on_delete=models.CASCADE, related_name="article_reporters")
    reporter = models.ForeignKey(Reporter, verbose_name=_("reporter"), on_delete=models.PROTECT, related_name="+")

    panels = [FieldPanel("reporter")]

    class Meta(Orderable.Meta):
        constraints = [models.UniqueConstraint(fields=["article", "reporter"], name="unique_reporter_per_article")]


class LiveUpdate(models.Model):
    """One timestamped update to a running story (live coverage), shown newest first with its own anchor."""

    article = ParentalKey(Article, on_delete=models.CASCADE, related_name="live_updates")
    posted_at = models.DateTimeField(_("time"), default=timezone.now)
    text = RichTextField(_("update"), features=["bold", "italic", "link"])
    author = models.ForeignKey(
        Reporter, verbose_name=_("by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    panels = [FieldPanel("posted_at"), FieldPanel("text"), FieldPanel("author")]

    class Meta:
        verbose_name = _("live update")
        verbose_name_plural = _("live updates")
        ordering = ["-posted_at", "-id"]

    def __str__(self) -> str:
        return strip_tags(self.text)[:60]

    @property
    def anchor(self) -> str:
        """Stable once published: the row's id (a draft's new rows have none yet, so their time)."""
        return f"update-{self.pk}" if self.pk else f"update-{self.posted_at:%Y%m%d%H%M%S}"


def root_section_id_for(section: SectionPage) -> int:
    """The id of the top-level section above (or equal to) `section`: the ancestor just below the home page."""
    # Page paths grow by 4 characters a level: root (1), home (2), top-level section (3).
    top_path = section.path[: Page.steplen * 3]
    if top_path == section.path:
        return section.pk
    return SectionPage.objects.only("id").get(path=top_path).pk


WORD_RE = re.compile(r"\w+", re.UNICODE)


def count_words(text: str) -> int:
    return len(WORD_RE.findall(text))
