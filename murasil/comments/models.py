"""Reader comments and the newsroom's blocklists.

A commenter's email and IP address are stored for moderation only: no template, feed or API a reader
receives may show them (tests/comments/test_privacy.py sweeps every public surface).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

# Replies nest this deep at most; a reply to the deepest level joins that level's thread.
MAX_DEPTH = 3


class CommentQuerySet(models.QuerySet):
    def approved(self) -> "CommentQuerySet":
        return self.filter(status=Comment.Status.APPROVED)

    def public(self) -> "CommentQuerySet":
        """Approved comments on articles a reader may see."""
        from murasil.news.models import Article

        return self.approved().filter(article__in=Article.objects.published())


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting moderation")
        APPROVED = "approved", _("Approved")
        SPAM = "spam", _("Spam")
        TRASH = "trash", _("Trash")

    article = models.ForeignKey(
        "news.Article", verbose_name=_("article"), on_delete=models.CASCADE, related_name="comments"
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("reply to"), null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    depth = models.PositiveSmallIntegerField(default=1, editable=False)
    name = models.CharField(_("name"), max_length=80)
    email = models.EmailField(_("email"))
    url = models.URLField(_("website"), blank=True, max_length=300)
    text = models.TextField(_("comment"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    is_staff_reply = models.BooleanField(_("newsroom reply"), default=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("staff account"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    spam_reason = models.CharField(_("why it was held"), max_length=200, blank=True)
    # One key per rendered form: a double click or a retried request stores the comment once.
    submission_key = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("posted"), default=timezone.now)
    moderated_at = models.DateTimeField(_("moderated"), null=True, blank=True, editable=False)

    objects = CommentQuerySet.as_manager()

    panels = [
        FieldPanel("status"),
        FieldPanel("text"),
        MultiFieldPanel([FieldPanel("name"), FieldPanel("url")], heading=_("Commenter")),
    ]

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["article", "status", "created_at"], name="comment_article_status"),
            models.Index(fields=["status", "-created_at"], name="comment_status_recent"),
            models.Index(fields=["email", "status"], name="comment_email_status"),
        ]

    def __str__(self) -> str:
        excerpt = self.text[:60] + ("…" if len(self.text) > 60 else "")
        return f"{self.name}: {excerpt}"

    def save(self, *args, **kwargs) -> None:
        if self.parent_id:
            self.depth = min(self.parent.depth + 1, MAX_DEPTH)
            if self.parent.depth >= MAX_DEPTH:
                # Keep threads readable on a phone: attach to the deepest allowed level.
                self.parent_id = self.parent.parent_id
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str | None:
        path = self.article.get_absolute_url()
        return f"{path}#comment-{self.pk}" if path else None


class BlockedTerm(models.Model):
    """A word, email address, IP address or email/website domain whose comments are held as spam."""

    class Kind(models.TextChoices):
        WORD = "word", _("Word or phrase in the comment")
        EMAIL = "email", _("Email address")
        IP = "ip", _("IP address")
        DOMAIN = "domain", _("Domain of the email or website")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    value = models.CharField(_("value"), max_length=200)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [FieldPanel("kind"), FieldPanel("value"), FieldPanel("note")]

    class Meta:
        verbose_name = _("blocked term")
        verbose_name_plural = _("blocklist")
        constraints = [models.UniqueConstraint(fields=["kind", "value"], name="unique_blocked_term")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"

    def save(self, *args, **kwargs) -> None:
        self.value = self.value.strip().lower()
        super().save(*args, **kwargs)


@register_setting(icon="comment")
class CommentSettings(BaseGenericSetting):
    enabled = models.BooleanField(_("comments enabled"), default=True)
    auto_approve_known = models.BooleanField(
        _("approve returning commenters"),
        default=True,
        help_text=_("Publish at once when the same email already has an approved comment."),
    )
    close_after_days = models.PositiveIntegerField(
        _("close after (days)"), default=30, help_text=_("0 keeps comments open for ever.")
    )
    max_length = models.PositiveIntegerField(_("maximum length (characters)"), default=3000)
    max_links = models.PositiveSmallIntegerField(_("maximum links"), default=2)
    min_seconds = models.PositiveSmallIntegerField(
        _("minimum seconds to write"), default=3, help_text=_("Faster submissions are treated as automated.")
    )
    per_ip_per_hour = models.PositiveIntegerField(_("comments per IP address per hour"), default=20)
    per_email_per_hour = models.PositiveIntegerField(_("comments per email address per hour"), default=10)
    notify_emails = models.TextField(
        _("notify these addresses"),
        blank=True,
        help_text=_("One address a line; empty means every editor who may moderate comments."),
    )

    panels = [
        FieldPanel("enabled"),
        FieldPanel("auto_approve_known"),
        FieldPanel("close_after_days"),
        MultiFieldPanel(
            [
                FieldPanel("max_length"),
                FieldPanel("max_links"),
                FieldPanel("min_seconds"),
                FieldPanel("per_ip_per_hour"),
                FieldPanel("per_email_per_hour"),
            ],
            heading=_("Abuse protection"),
        ),
        FieldPanel("notify_emails"),
    ]

    class Meta:
        verbose_name = _("comment settings")
