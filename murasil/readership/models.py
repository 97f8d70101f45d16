"""What readership keeps in the database: a number per article per day, nothing about any reader."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DailyArticleViews(models.Model):
    """Views of one article on one day (the site's time zone). Written only by `counters.flush_views`."""

    article = models.ForeignKey(
        "news.Article", verbose_name=_("article"), on_delete=models.CASCADE, related_name="daily_views"
    )
    day = models.DateField(_("day"))
    views = models.PositiveIntegerField(_("views"), default=0)

    class Meta:
        verbose_name = _("daily article views")
        verbose_name_plural = _("daily article views")
        constraints = [models.UniqueConstraint(fields=["article", "day"], name="readership_article_day")]
        # Top lists and the dashboard chart read a few recent days at a time.
        indexes = [models.Index(fields=["day", "article"], name="readership_day_article")]

    def __str__(self) -> str:
        return f"{self.article_id} {self.day}: {self.views}"


class FlushedBatch(models.Model):
    """A batch of counters taken from Redis and written, so a batch retried after a crash between the
    database commit and the Redis clean-up is never counted twice."""

    batch = models.CharField(max_length=32, unique=True)
    flushed_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return self.batch
