"""What happens to a submitted comment: the abuse checks, the blocklist, and the moderation decision.

Checks that reject a submission (honeypot, too fast, rate limits, comments closed) answer the reader
with a clear Arabic message and are logged; nothing is dropped silently. Blocklist matches are stored
as spam for an editor to review.
"""

import datetime
import ipaddress
import logging
import secrets
from dataclasses import dataclass

from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import BlockedTerm, Comment, CommentSettings

log = logging.getLogger("murasil.comments")

STAMP_SALT = "murasil.comments.form"
STAMP_MAX_AGE = 24 * 3600  # a form older than a day is re-issued rather than trusted
RATE_WINDOW = 3600


class Rejected(Exception):
    """A submission refused outright, with the message the reader sees and the HTTP status."""

    def __init__(self, message: str, status: int = 400, reason: str = ""):
        super().__init__(message)
        self.message = message
        self.status = status
        self.reason = reason or message


def issue_form_stamp() -> str:
    """A signed token for one form: when it was handed out, and the key that makes its submission unique."""
    return signing.dumps({"k": secrets.token_urlsafe(16), "t": timezone.now().timestamp()}, salt=STAMP_SALT)


def check_form_stamp(stamp: str, min_seconds: int) -> str:
    """The submission key inside a valid stamp; Rejected when missing, forged, too fresh or too old."""
    try:
        data = signing.loads(stamp, salt=STAMP_SALT, max_age=STAMP_MAX_AGE)
        key, issued = str(data["k"]), float(data["t"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise Rejected(
            _("This form has expired. Please check your comment and send it again."), reason="stamp"
        ) from None
    if timezone.now().timestamp() - issued < min_seconds:
        raise Rejected(
            _("Your comment was sent too quickly after the page opened. Please wait a moment and send it again."),
            reason="too fast",
        )
    return key


def client_ip(request: HttpRequest) -> str | None:
    from django.conf import settings

    address = request.META.get("REMOTE_ADDR", "")
    if getattr(settings, "MURASIL_BEHIND_PROXY", False):
        # nginx appends the real client address last; anything before it came from the client.
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        address = forwarded[-1] if forwarded else address
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def _hit(key: str, limit: int) -> bool:
    """Count one submission under `key`; True when the hourly limit is exceeded."""
    if limit <= 0:
        return False
    cache.add(key, 0, RATE_WINDOW)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, RATE_WINDOW)
        count = 1
    return count > limit


def check_rate_limits(ip: str | None, email: str, conf: CommentSettings) -> None:
    limited = False
    if ip:
        limited |= _hit(f"murasil:comments:ip:{ip}", conf.per_ip_per_hour)
    limited |= _hit(f"murasil:comments:email:{email.lower()}", conf.per_email_per_hour)
    if limited:
        raise Rejected(
            _("You have sent many comments in a short time. Please try again in an hour."),
            status=429,
            reason="rate limit",
        )


def comments_closed(article, conf: CommentSettings, now: datetime.datetime | None = None) -> bool:
    if not conf.enabled or not article.comments_open:
        return True
    if conf.close_after_days and article.first_published_at:
        now = now or timezone.now()
        return now - article.first_published_at > datetime.timedelta(days=conf.close_after_days)
    return False


def blocklist_match(comment: Comment) -> str:
    """The blocklist entry a comment matches, or ''."""
    terms = list(BlockedTerm.objects.values_list("kind", "value"))
    if not terms:
        return ""
    email = comment.email.lower()
    domains = {email.rsplit("@", 1)[-1]}
    if comment.url:
        from urllib.parse import urlsplit

        domains.add((urlsplit(comment.url).hostname or "").lower())
    text = f"{comment.name}\n{comment.text}".lower()
    for kind, value in terms:
        if (
            (kind == BlockedTerm.Kind.WORD and value in text)
            or (kind == BlockedTerm.Kind.EMAIL and value == email)
            or (kind == BlockedTerm.Kind.IP and value == (comment.ip_address or ""))
            or (kind == BlockedTerm.Kind.DOMAIN and any(d == value or d.endswith("." + value) for d in domains))
        ):
            return f"{kind}: {value}"
    return ""


@dataclass
class Decision:
    status: str
    reason: str = ""


def decide(comment: Comment, conf: CommentSettings) -> Decision:
    match = blocklist_match(comment)
    if match:
        return Decision(Comment.Status.SPAM, f"blocklist {match}")
    if (
        conf.auto_approve_known
        and Comment.objects.filter(email__iexact=comment.email, status=Comment.Status.APPROVED).exists()
    ):
        return Decision(Comment.Status.APPROVED)
    return Decision(Comment.Status.PENDING)
