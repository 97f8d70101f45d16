"""Every endpoint answers with WordPress's field names, nested shapes and types (wordpress_fields.json)."""

import re

from .base import API, FIELDS, ApiTestCase

DATE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$")
ENDPOINTS = {
    "posts": "post",
    "pages": "page",
    "media": "attachment",
    "categories": "category",
    "tags": "tag",
    "users": "user",
    "comments": "comment",
}


class TestShapes(ApiTestCase):
    def assert_shape(self, item: dict, kind: str, context: str = "view"):
        self.assertEqual(list(item), FIELDS[kind][context], f"{kind} fields ({context})")
        for name, keys in {**FIELDS["nested"], **FIELDS["nested_by_kind"].get(kind, {})}.items():
            if isinstance(item.get(name), dict):  # terms and users have a plain-text description
                self.assertEqual(set(item[name]), set(keys), f"{kind}.{name}")
        for name in FIELDS["never"]:
            self.assertNotIn(name, item)
        self.assertIsInstance(item["id"], int)
        self.assertIn("self", item["_links"])

    def test_every_collection_and_item_has_wordpress_fields(self):
        for route, kind in ENDPOINTS.items():
            with self.subTest(route=route):
                items, response = self.get_json(route + "?per_page=100")
                self.assertTrue(items, f"{route} should not be empty in this newsroom")
                for item in items:
                    self.assert_shape(item, kind)
                single, _ = self.get_json(f"{route}/{items[0]['id']}")
                self.assert_shape(single, kind)
                self.assertEqual(single, items[0])
                embedded, _ = self.get_json(f"{route}?context=embed")
                self.assert_shape(embedded[0], kind, "embed")

    def test_post_types_and_values(self):
        post, _ = self.get_json(f"posts/{self.lead.pk}")
        self.assertEqual(post["id"], self.lead.pk)
        self.assertRegex(post["date"], DATE)
        self.assertRegex(post["date_gmt"], DATE)
        self.assertEqual((post["status"], post["type"], post["format"]), ("publish", "post", "standard"))
        self.assertEqual(post["link"], self.lead.full_url)
        self.assertEqual(post["title"]["rendered"], self.lead.title)
        self.assertEqual(post["excerpt"], {"rendered": f"<p>{self.lead.standfirst}</p>\n", "protected": False})
        self.assertIn("<p>افتتحت أمانة بغداد صباح اليوم جسراً جديداً.</p>", post["content"]["rendered"])
        self.assertEqual(post["author"], self.anas.pk)  # the first reporter in the byline
        self.assertEqual(post["categories"], [self.iraq.pk])
        self.assertEqual(len(post["tags"]), 2)
        self.assertTrue(all(isinstance(tag, int) for tag in post["tags"]))
        self.assertEqual(post["featured_media"], self.lead.featured_image_id)
        self.assertIs(post["sticky"], True)  # is_featured
        self.assertEqual(post["comment_status"], "open")
        self.assertEqual(post["_links"]["author"][0]["href"], f"http://127.0.0.1:8000{API}users/{self.anas.pk}")
        self.assertTrue(post["_links"]["author"][0]["embeddable"])

    def test_body_blocks_render_like_the_article_page_with_absolute_addresses(self):
        post, _ = self.get_json(f"posts/{self.with_photo.pk}")
        html = post["content"]["rendered"]
        self.assertIn('<figure class="body-image"><img src="http://127.0.0.1:8000/media/', html)
        self.assertIn('<figcaption>قاعة القمة <span class="credit">مراسلين</span></figcaption>', html)
        self.assertIn('<figure class="pullquote"><blockquote><p>الماء حياة</p></blockquote>', html)
        self.assertIn('<h2 class="body-heading">خلفية</h2>', html)
        # No standfirst: WordPress's automatic excerpt from the text.
        self.assertEqual(post["excerpt"]["rendered"], "<p>ناقش القادة ملف المياه في جلسة مغلقة. الماء حياة خلفية</p>\n")

    def test_embed_gives_the_author_media_terms_and_replies(self):
        items, _ = self.get_json(f"posts?include={self.lead.pk}&_embed")
        embedded = items[0]["_embedded"]
        self.assertEqual(list(embedded["author"][0]), FIELDS["user"]["embed"])
        self.assertEqual(embedded["author"][0]["name"], self.anas.name)
        self.assertEqual(list(embedded["wp:featuredmedia"][0]), FIELDS["attachment"]["embed"])
        categories, tags = embedded["wp:term"]
        self.assertEqual([c["slug"] for c in categories], ["iraq"])
        self.assertEqual({t["name"] for t in tags}, {"بغداد", "النقل"})
        self.assertEqual(list(tags[0]), FIELDS["tag"]["embed"])
        replies = embedded["replies"][0]
        self.assertEqual({r["id"] for r in replies}, {self.approved.pk, self.reply.pk})
        self.assertEqual(list(replies[0]), FIELDS["comment"]["embed"])
        only_author, _ = self.get_json(f"posts?include={self.lead.pk}&_embed=author")
        self.assertEqual(list(only_author[0]["_embedded"]), ["author"])

    def test_fields_limits_the_output(self):
        items, _ = self.get_json("posts?_fields=id,title.rendered,link")
        self.assertEqual(list(items[0]), ["id", "link", "title"])
        self.assertEqual(list(items[0]["title"]), ["rendered"])

    def test_terms_users_comments_pages_media_values(self):
        iraq, _ = self.get_json(f"categories/{self.iraq.pk}")
        self.assertEqual((iraq["parent"], iraq["count"], iraq["taxonomy"]), (self.world.pk, 1, "category"))
        self.assertEqual(iraq["link"], "http://127.0.0.1:8000/arab-world/iraq/")
        tags, _ = self.get_json("tags?slug=بغداد")
        self.assertEqual((tags[0]["name"], tags[0]["count"], tags[0]["taxonomy"]), ("بغداد", 2, "post_tag"))
        user, _ = self.get_json(f"users/{self.huda.pk}")
        self.assertEqual(user["link"], "http://127.0.0.1:8000/author/huda/")
        self.assertTrue(user["avatar_urls"]["96"].startswith("http://127.0.0.1:8000/media/"))
        reply, _ = self.get_json(f"comments/{self.reply.pk}")
        self.assertEqual(
            (reply["post"], reply["parent"], reply["status"]), (self.lead.pk, self.approved.pk, "approved")
        )
        self.assertEqual(reply["content"]["rendered"], "<p>رد منشور على التعليق</p>\n")
        self.assertEqual(reply["link"], f"{self.lead.full_url}#comment-{self.reply.pk}")
        pages, _ = self.get_json("pages")
        self.assertEqual([p["slug"] for p in pages], ["about"])
        self.assertIn("مراسلين موقع إخباري مستقل", pages[0]["content"]["rendered"])
        media, _ = self.get_json(f"media/{self.lead.featured_image_id}")
        self.assertEqual((media["media_type"], media["mime_type"]), ("image", "image/jpeg"))
        self.assertEqual(media["post"], self.lead.pk)
        self.assertEqual(media["media_details"]["width"], 320)
        self.assertEqual(media["source_url"], media["media_details"]["sizes"]["full"]["source_url"])

    def test_index_and_namespace(self):
        index, _ = self.get_json("/wp-json/")
        self.assertEqual(list(index), FIELDS["index"])
        self.assertEqual(index["namespaces"], ["wp/v2"])
        self.assertEqual(index["name"], "مراسلين")
        for route in ENDPOINTS:
            self.assertIn(f"/wp/v2/{route}", index["routes"])
            self.assertIn(f"/wp/v2/{route}/(?P<id>[\\d]+)", index["routes"])
        per_page = index["routes"]["/wp/v2/posts"]["endpoints"][0]["args"]["per_page"]
        self.assertEqual((per_page["default"], per_page["minimum"], per_page["maximum"]), (10, 1, 100))
        namespace, _ = self.get_json("/wp-json/wp/v2")
        self.assertEqual(namespace["namespace"], "wp/v2")
