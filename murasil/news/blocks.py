"""The blocks an article body is made of."""

from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail.rich_text import RichText

from murasil.core.sanitize import clean_rich_text


class SafeRichTextBlock(blocks.RichTextBlock):
    """Rich text cleaned by the one allow-list (core/sanitize.py) whenever it is validated or stored, so
    HTML that did not come through the editor (the API, scripts, old revisions) is clean in the database."""

    def get_prep_value(self, value):
        return clean_rich_text(super().get_prep_value(value))

    def clean(self, value):
        value = super().clean(value)
        source = getattr(value, "source", value) or ""
        cleaned = clean_rich_text(source)
        return value if cleaned == source else RichText(cleaned)


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("quote"))
    attribution = blocks.CharBlock(label=_("said by"), required=False)

    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = "news/blocks/quote_block.html"


class InlineImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    caption = blocks.CharBlock(label=_("caption"), required=False)
    credit = blocks.CharBlock(label=_("credit"), required=False)

    class Meta:
        icon = "image"
        label = _("Photo")
        template = "news/blocks/image_block.html"


class ArticleBodyBlock(blocks.StreamBlock):
    paragraph = SafeRichTextBlock(
        label=_("Paragraph"),
        features=["bold", "italic", "link", "ol", "ul"],
        template="news/blocks/paragraph_block.html",
    )
    heading = blocks.CharBlock(label=_("Subheading"), icon="title", template="news/blocks/heading_block.html")
    quote = QuoteBlock()
    image = InlineImageBlock()
    embed = EmbedBlock(
        label=_("Embed"),
        help_text=_("A video or post address, e.g. from YouTube."),
        template="news/blocks/embed_block.html",
    )
