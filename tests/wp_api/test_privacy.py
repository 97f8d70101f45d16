"""No API response shows an email, IP address, browser string, or anything a reader may not see.

The crawl follows every endpoint, every page of every collection with and without _embed, every
object by id and every link the responses name, then asks for the hidden objects directly.
"""

from urllib.parse import urlsplit

from .base import API, SECRETS, ApiTestCase

COLLECTIONS = ["posts", "pages", "media", "categories", "tags", "users", "comments"]


class TestPrivacy(ApiTestCase):
    def crawl(self) -> dict[str, object]:
        queue = ["/wp-json/", "/wp-json/wp/v2"]
        for name in COLLECTIONS:
            queue += [f"{API}{name}?per_page=100", f"{API}{name}?per_page=100&_embed", f"{API}{name}?context=embed"]
        seen: dict[str, object] = {}
        while queue and len(seen) < 400:
            url = queue.pop()
            if url in seen:
                continue
            response = self.client.get(url)
            seen[url] = response
            if response.status_code != 200:
                continue
            for href in _hrefs(response.json()):
                parts = urlsplit(href)
                if parts.path.startswith("/wp-json/"):
                    queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
        return seen

    def test_crawl_shows_no_private_data(self):
        seen = self.crawl()
        self.assertGreater(len(seen), 60, "the crawl should reach every object")
        self.assertIn(f"{API}posts/{self.lead.pk}", seen)
        self.assertIn(f"{API}comments/{self.reply.pk}", seen)
        for url, response in seen.items():
            body = response.content.decode()
            headers = str(response.headers)
            for secret in SECRETS:
                self.assertNotIn(secret, body, f"{secret} in {url}")
                self.assertNotIn(secret, headers, f"{secret} in the headers of {url}")
            for text in self.hidden_titles + self.hidden_comments:
                self.assertNotIn(text, body, f"unpublished text in {url}")
            self.assertNotIn("gravatar", body)
            self.assertNotIn("صورة المسودة السرية", body)  # an image used only by drafts

    def test_hidden_objects_are_not_found_by_id(self):
        for article in (self.draft, self.scheduled, self.expired):
            error, _ = self.get_json(f"posts/{article.pk}", 404)
            self.assertEqual(error["code"], "rest_post_invalid_id")
        for comment in (self.pending, self.spam, self.on_draft):
            error, _ = self.get_json(f"comments/{comment.pk}", 404)
            self.assertEqual(error["code"], "rest_comment_invalid_id")
        error, _ = self.get_json(f"media/{self.draft_image.pk}", 404)
        self.assertEqual(error["code"], "rest_post_invalid_id")
        posts, _ = self.get_json(f"posts?include={self.draft.pk},{self.scheduled.pk},{self.expired.pk}")
        self.assertEqual(posts, [])
        comments, _ = self.get_json(f"comments?post={self.draft.pk}")
        self.assertEqual(comments, [])

    def test_private_filters_are_refused(self):
        error, _ = self.get_json("posts?status=draft", 400)
        self.assertEqual(error["code"], "rest_invalid_param")
        self.assertEqual(error["data"]["details"]["status"]["code"], "rest_forbidden_status")
        error, _ = self.get_json("posts?context=edit", 401)
        self.assertEqual(error["code"], "rest_forbidden_context")
        error, _ = self.get_json(f"posts/{self.lead.pk}?context=edit", 401)
        self.assertEqual(error["code"], "rest_forbidden_context")
        for query in ("author_email=" + SECRETS[0], "status=hold", "status=spam"):
            error, _ = self.get_json("comments?" + query, 401)
            self.assertEqual(error["code"], "rest_forbidden_param")
        error, _ = self.get_json("users?orderby=email", 401)
        self.assertEqual(error["code"], "rest_forbidden_orderby")
        error, _ = self.get_json("users/me", 401)
        self.assertEqual(error["code"], "rest_not_logged_in")

    def test_search_finds_nothing_unpublished(self):
        posts, _ = self.get_json("posts?search=الموازنة")  # only the draft's headline has this word
        self.assertEqual(posts, [])
        comments, _ = self.get_json("comments?search=المراجعة")
        self.assertEqual(comments, [])


def _hrefs(data) -> list[str]:
    found = []
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "href" and isinstance(value, str):
                found.append(value)
            else:
                found += _hrefs(value)
    elif isinstance(data, list):
        for value in data:
            found += _hrefs(value)
    return found
