"""`{% photo image "card" alt="" %}`: a responsive `<picture>` for one of the placements in specs.py.

It is Wagtail's `{% picture %}` with the widths, formats, `sizes` and loading hints of a named
placement, so templates and rendition generation agree. Wagtail's `Picture` writes the HTML; the
renditions come from renditions.for_picture(), which never encodes one on a reader's request (a
missing one is queued and the best existing file shown meanwhile).

    {% photo article.featured_image "article_lead" alt=article.featured_image_caption %}
    {% photo article.featured_image "card" lead=forloop.first alt="" %}
    {% photo article.featured_image placement alt="" %}   (the placement's name from a variable)

`lead=True` marks the page's lead image (eager, fetched first); an attribute given as None or False
is left out.
"""

from django import template

from wagtail.images.models import Picture

from ..renditions import for_picture
from ..specs import LEAD_ATTRS, PLACEMENTS

register = template.Library()


class PhotoNode(template.Node):
    def __init__(self, image, placement, attrs: dict):
        self.image = image
        self.placement = placement
        self.attrs = attrs

    def render(self, context) -> str:
        image = self.image.resolve(context)
        if not image:
            return ""
        name = self.placement.resolve(context)
        if name not in PLACEMENTS:
            raise ValueError(f"Unknown photo placement {name!r}: one of {', '.join(PLACEMENTS)}")
        placement = PLACEMENTS[name]
        attrs = {"sizes": placement.sizes, **placement.attrs}
        resolved = {key: value.resolve(context) for key, value in self.attrs.items()}
        if resolved.pop("lead", False):
            attrs.pop("decoding", None)
            attrs.update(LEAD_ATTRS)
        attrs.update(resolved)
        attrs = {key: value for key, value in attrs.items() if value is not None and value is not False}
        return Picture(for_picture(image, placement.widths), attrs).__html__()


@register.tag
def photo(parser, token) -> PhotoNode:
    bits = token.split_contents()
    if len(bits) < 3:
        raise template.TemplateSyntaxError('Usage: {% photo image "placement" [name=value …] %}')
    placement = bits[2]
    if placement[0] in "\"'" and placement.strip("\"'") not in PLACEMENTS:
        raise template.TemplateSyntaxError(f"Unknown photo placement {placement}: one of {', '.join(PLACEMENTS)}")
    attrs = {}
    for bit in bits[3:]:
        name, sep, value = bit.partition("=")
        if not sep:
            raise template.TemplateSyntaxError(f"photo: expected name=value, got {bit!r}")
        attrs[name] = parser.compile_filter(value)
    return PhotoNode(parser.compile_filter(bits[1]), parser.compile_filter(placement), attrs)
