"""Queue the renditions a photo needs when it is uploaded or changed and when it starts being used."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from wagtail.images import get_image_model
from wagtail.signals import published

from murasil.core.models import NewsroomSettings
from murasil.news.models import Article, Reporter

from .specs import DEFAULT_ROLES
from .tasks import queue_roles
from .usage import body_image_ids


@receiver(post_save, sender=get_image_model())
def image_saved(sender, instance, raw=False, **kwargs) -> None:
    # Every save: a new file or focal point needs new renditions; the task skips those that exist.
    if not raw:
        queue_roles(instance, DEFAULT_ROLES)


@receiver(published, sender=Article)
def article_published(sender, instance, **kwargs) -> None:
    image_model = get_image_model()
    if instance.featured_image_id:
        image = image_model.objects.filter(pk=instance.featured_image_id).first()
        if image:
            queue_roles(image, ["featured"])
    for image in image_model.objects.filter(pk__in=body_image_ids(instance.body)):
        queue_roles(image, ["body"])


@receiver(post_save, sender=Reporter)
def reporter_saved(sender, instance, raw=False, **kwargs) -> None:
    if instance.photo_id and not raw:
        queue_roles(instance.photo, ["reporter"])


@receiver(post_save, sender=NewsroomSettings)
def settings_saved(sender, instance, raw=False, **kwargs) -> None:
    if raw:
        return
    if instance.logo_id:
        queue_roles(instance.logo, ["logo"])
    if instance.share_image_id:
        queue_roles(instance.share_image, ["share"])
