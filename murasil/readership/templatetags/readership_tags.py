from django import template

from murasil.pagecache.recording import depends_on
from murasil.readership.most_read import MOST_READ_TAG, SHOWN, most_read

register = template.Library()


@register.inclusion_tag("readership/most_read.html")
def most_read_block(limit: int = SHOWN, heading_level: int = 2) -> dict:
    """«الأكثر قراءة»: two ranked lists (last 24 hours, last 7 days), one cache read per render."""
    depends_on(None, MOST_READ_TAG)  # a stored page is purged when the ranking changes
    lists = most_read(limit)
    return {"day": lists["day"], "week": lists["week"], "level": heading_level, "sub_level": heading_level + 1}
