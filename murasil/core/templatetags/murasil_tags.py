"""Template helpers for reader pages: Arabic dates, share links, image-less fallbacks."""

import datetime
from urllib.parse import quote

from django import template
from django.conf import settings
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from murasil.core.dates import format_date, format_short, format_time

register = template.Library()


def _newsroom(context) -> tuple[str, str]:
    """(month-name region, digit style) from the site settings, with safe defaults outside a request."""
    request = context.get("request")
    if request is None:
        return "levant", "western"
    from murasil.core.models import NewsroomSettings

    conf = NewsroomSettings.load(request_or_site=request)
    return conf.month_names, conf.digits


@register.simple_tag(takes_context=True)
def news_time(context, value: datetime.datetime | None, with_time: bool = True) -> str:
    """<time datetime="…">الأحد 29 تشرين الثاني 2026 الموافق 19 جمادى الآخرة 1448 هـ · 10:30 ص</time>"""
    if not value:
        return ""
    region, digits = _newsroom(context)
    text = format_date(value, region, digits)
    if with_time:
        text = f"{text} · {format_time(value, digits)}"
    return format_html('<time datetime="{}">{}</time>', timezone.localtime(value).isoformat(timespec="seconds"), text)


@register.simple_tag(takes_context=True)
def short_time(context, value: datetime.datetime | None) -> str:
    """<time datetime="…">10:30 ص</time> today, <time …>28 تشرين الثاني</time> earlier."""
    if not value:
        return ""
    region, digits = _newsroom(context)
    full = format_date(value, region, digits)
    return format_html(
        '<time datetime="{}" title="{}">{}</time>',
        timezone.localtime(value).isoformat(timespec="seconds"),
        full,
        format_short(value, region, digits),
    )


@register.simple_tag(takes_context=True)
def today(context) -> str:
    region, digits = _newsroom(context)
    return format_date(timezone.now(), region, digits)


@register.simple_tag
def share_links(url: str, title: str) -> list[dict]:
    """Plain share links: no third-party script runs until the reader follows one."""
    full = quote(settings.MURASIL_SITE_URL + url, safe="")
    text = quote(title, safe="")
    # The visible name is the accessible name, so voice-control users can say what they see.
    return [
        {"name": _("WhatsApp"), "href": f"https://wa.me/?text={text}%20{full}"},
        {"name": _("Telegram"), "href": f"https://t.me/share/url?url={full}&text={text}"},
        {"name": _("X"), "href": f"https://x.com/intent/post?url={full}&text={text}"},
        {"name": _("Facebook"), "href": f"https://www.facebook.com/sharer/sharer.php?u={full}"},
        {"name": _("Email"), "href": f"mailto:?subject={text}&body={full}"},
    ]


@register.filter
def reading_time(minutes: int) -> str:
    return ngettext("%(minutes)s minute read", "%(minutes)s minutes read", minutes) % {"minutes": minutes}
