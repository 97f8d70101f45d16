"""What an import from WordPress leaves behind: which Murasil object each WordPress ID became (for the
WordPress-compatible API and old links), and the runs themselves (checkpoints and summaries)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting


class WordPressObject(models.Model):
    """One WordPress ID and the Murasil object it became.

    Articles, reporters, tags, comments and images keep the WordPress ID as their own primary key
    when it is free (always, on a fresh site); sections and static pages are Wagtail pages and are
    found through `object_id`.
    """

    class Kind(models.TextChoices):
        POST = "post", _("post")
        PAGE = "page", _("page")
        CATEGORY = "category", _("category")
        TAG = "tag", _("tag")
        USER = "user", _("author")
        COMMENT = "comment", _("comment")
        ATTACHMENT = "attachment", _("attachment")
        # A post's earlier slug (WordPress's _wp_old_slug): old links that name it still find the post.
        OLD_SLUG = "old_slug", _("earlier post slug")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    wp_id = models.BigIntegerField(_("WordPress ID"))
    object_id = models.BigIntegerField(_("Murasil ID"))
    # The WordPress slug (post_name, nicename, author login), percent-decoded: old links name it.
    slug = models.CharField(_("WordPress slug"), max_length=255, blank=True)
    # The path of the object's permalink on the old site, percent-decoded, without the trailing slash.
    legacy_path = models.CharField(_("old path"), max_length=500, blank=True)
    # What Murasil has no column for but the API reports: all categories of a post, sticky, password…
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("WordPress object")
        verbose_name_plural = _("WordPress objects")
        constraints = [models.UniqueConstraint(fields=["kind", "wp_id"], name="wordpress_unique_kind_id")]
        indexes = [
            models.Index(fields=["kind", "object_id"], name="wordpress_kind_object"),
            models.Index(fields=["kind", "slug"], name="wordpress_kind_slug"),
            models.Index(fields=["legacy_path"], name="wordpress_legacy_path"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.wp_id} → {self.object_id}"


class ImportRun(models.Model):
    """One `murasil import_wordpress` run over one file; its checkpoint lets a crashed run resume."""

    class Status(models.TextChoices):
        RUNNING = "running", _("running")
        FINISHED = "finished", _("finished")
        FAILED = "failed", _("failed")

    file_name = models.CharField(_("file"), max_length=500)
    file_sha256 = models.CharField(max_length=64, db_index=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.RUNNING)
    # Items (in file order) whose batch is committed; a resumed run skips them.
    items_done = models.PositiveIntegerField(default=0)
    summary = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("WordPress import")
        verbose_name_plural = _("WordPress imports")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"


@register_setting(icon="redirect")
class WordPressSettings(BaseGenericSetting):
    """How the old WordPress site built its links, so old links keep answering (legacy_urls.py)."""

    base_url = models.URLField(_("old site address"), blank=True, help_text=_("e.g. https://example.com"))
    permalink_structure = models.CharField(
        _("permalink structure"),
        max_length=200,
        blank=True,
        help_text=_("As in WordPress's Settings › Permalinks, e.g. /%year%/%monthnum%/%postname%/"),
    )
    category_base = models.CharField(_("category base"), max_length=100, default="category")
    tag_base = models.CharField(_("tag base"), max_length=100, default="tag")

    panels = [
        FieldPanel("base_url"),
        FieldPanel("permalink_structure"),
        FieldPanel("category_base"),
        FieldPanel("tag_base"),
    ]

    class Meta:
        verbose_name = _("WordPress links")
