"""Email editors when comments await moderation: at most one message per quarter hour, with the count."""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.mail import send_mail
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Comment, CommentSettings

log = logging.getLogger("murasil.comments")
QUIET_PERIOD = 15 * 60


def moderator_emails(conf: CommentSettings) -> list[str]:
    listed = [line.strip() for line in conf.notify_emails.splitlines() if line.strip()]
    if listed:
        return listed
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    may_moderate = Q(is_superuser=True) | Q(groups__permissions__codename="change_comment")
    may_moderate |= Q(user_permissions__codename="change_comment")
    return sorted(set(users.filter(may_moderate).values_list("email", flat=True)))


def notify_editors() -> None:
    # cache.add is atomic: only the first pending comment in a quiet period sends a message.
    if not cache.add("murasil:comments:notified", 1, QUIET_PERIOD):
        return
    conf = CommentSettings.load()
    recipients = moderator_emails(conf)
    if not recipients:
        return
    pending = Comment.objects.filter(status=Comment.Status.PENDING).count()
    url = settings.MURASIL_SITE_URL + reverse("wagtailsnippets_comments_comment:list") + "?status=pending"
    subject = ngettext("%(count)s comment awaits moderation", "%(count)s comments await moderation", pending) % {
        "count": pending
    }
    body = _("Comments are waiting for an editor: %(url)s") % {"url": url}
    try:
        send_mail(subject, body, None, recipients)
    except OSError:
        log.exception("Could not send the comment notification")
