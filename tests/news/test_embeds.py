"""Embeds in an article body: the provider's player, or a plain link when the provider cannot answer."""

from unittest import mock

from django.template import Context, Template
from django.test import SimpleTestCase

from wagtail.embeds.exceptions import EmbedNotFoundException

URL = "https://www.youtube.com/watch?v=abc123"


class EmbedOrLinkTests(SimpleTestCase):
    def render(self) -> str:
        return Template("{% load news_embeds %}{% embed_or_link url %}").render(Context({"url": URL}))

    def test_a_known_embed_shows_the_providers_html(self):
        embed = mock.Mock(html='<iframe src="https://www.youtube.com/embed/abc123"></iframe>')
        with mock.patch("wagtail.embeds.embeds.get_embed", return_value=embed):
            self.assertEqual(self.render(), embed.html)

    def test_an_unanswered_embed_becomes_a_link_not_a_hole(self):
        with mock.patch("wagtail.embeds.embeds.get_embed", side_effect=EmbedNotFoundException):
            html = self.render()
        self.assertEqual(html, f'<a class="embed-link" href="{URL}" rel="noopener">{URL}</a>')
        with mock.patch("wagtail.embeds.embeds.get_embed", side_effect=OSError("network down")):
            self.assertIn('class="embed-link"', self.render())
