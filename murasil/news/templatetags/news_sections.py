"""`{% section_url section %}`: a section's address from the cached map (fragments.section_urls)."""

from django import template

from ..fragments import section_urls

register = template.Library()


@register.simple_tag(takes_context=True)
def section_url(context, section) -> str:
    request = context.get("request")
    url = section_urls(request).get(section.pk)
    return url if url is not None else section.get_url(request)  # a section offline still links
