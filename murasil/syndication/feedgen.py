"""RSS 2.0 and Atom writers: Django's, plus what news readers expect.

Added to Django's generators: one author element per reporter (dc:creator in RSS, atom:author with
the reporter's page), the article photo as Media RSS (media:content, with caption and credit), the
full text (content:encoded in RSS, atom:content) and the outlet's logo as the RSS channel image.
"""

from django.utils import feedgenerator

MEDIA_NS = "http://search.yahoo.com/mrss/"
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
DC_NS = "http://purl.org/dc/elements/1.1/"


def _add_media(handler, item) -> None:
    photo = item.get("photo")
    if not photo:
        return
    handler.startElement(
        "media:content",
        {
            "url": photo["url"],
            "type": photo["type"],
            "medium": "image",
            "width": str(photo["width"]),
            "height": str(photo["height"]),
        },
    )
    if photo.get("caption"):
        handler.addQuickElement("media:description", photo["caption"], {"type": "plain"})
    if photo.get("credit"):
        handler.addQuickElement("media:credit", photo["credit"])
    handler.endElement("media:content")


class NewsRssFeed(feedgenerator.Rss201rev2Feed):
    def rss_attributes(self) -> dict:
        return {
            **super().rss_attributes(),
            "xmlns:media": MEDIA_NS,
            "xmlns:content": CONTENT_NS,
            "xmlns:dc": DC_NS,
        }

    def add_root_elements(self, handler) -> None:
        super().add_root_elements(handler)
        logo = self.feed.get("logo")
        if logo:
            # RSS 2.0 caps the channel image at 144 × 400; readers scale the URL themselves.
            handler.startElement("image", {})
            handler.addQuickElement("url", logo["url"])
            handler.addQuickElement("title", self.feed["title"])
            handler.addQuickElement("link", self.feed["link"])
            handler.endElement("image")

    def add_item_elements(self, handler, item) -> None:
        super().add_item_elements(handler, item)
        for name in item.get("reporter_names", ()):
            handler.addQuickElement("dc:creator", name)
        if item.get("content"):
            handler.addQuickElement("content:encoded", item["content"])
        _add_media(handler, item)


class NewsAtomFeed(feedgenerator.Atom1Feed):
    def root_attributes(self) -> dict:
        return {**super().root_attributes(), "xmlns:media": MEDIA_NS}

    def add_root_elements(self, handler) -> None:
        super().add_root_elements(handler)
        logo = self.feed.get("logo")
        if logo:
            handler.addQuickElement("logo", logo["url"])

    def add_item_elements(self, handler, item) -> None:
        super().add_item_elements(handler, item)
        for name, url in zip(item.get("reporter_names", ()), item.get("reporter_urls", ()), strict=True):
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            handler.addQuickElement("uri", url)
            handler.endElement("author")
        if item.get("content"):
            handler.addQuickElement("content", item["content"], {"type": "html"})
        _add_media(handler, item)
