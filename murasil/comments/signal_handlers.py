"""Keep each article's approved-comment count in step, and tell editors when comments wait."""

from django.db.models.signals import post_delete, post_save
from django.db.transaction import on_commit
from django.dispatch import receiver

from murasil.news.models import Article

from .models import Comment
from .notifications import notify_editors


@receiver(post_save, sender=Comment)
@receiver(post_delete, sender=Comment)
def refresh_comment_count(sender, instance: Comment, **kwargs) -> None:
    if kwargs.get("created") and instance.status != Comment.Status.APPROVED:
        return  # a new comment awaiting moderation does not change what readers see
    count = Comment.objects.approved().filter(article_id=instance.article_id).count()
    Article.objects.filter(pk=instance.article_id).update(comment_count=count)


@receiver(post_save, sender=Comment)
def pending_comment_posted(sender, instance: Comment, created: bool, **kwargs) -> None:
    if created and instance.status == Comment.Status.PENDING:
        on_commit(notify_editors)
