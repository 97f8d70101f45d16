"""Query arguments, errors, paging headers, caching and WordPress ids, as WordPress clients expect them."""

import datetime

from murasil.wordpress.models import WordPressObject
from tests.factories import make_article

from .base import API, ApiTestCase

Kind = WordPressObject.Kind


class TestErrors(ApiTestCase):
    def test_wordpress_error_bodies(self):
        error, _ = self.get_json("posts?per_page=0", 400)
        self.assertEqual(
            error,
            {
                "code": "rest_invalid_param",
                "message": "Invalid parameter(s): per_page",
                "data": {
                    "status": 400,
                    "params": {"per_page": "per_page must be between 1 (inclusive) and 100 (inclusive)"},
                    "details": {
                        "per_page": {
                            "code": "rest_out_of_bounds",
                            "message": "per_page must be between 1 (inclusive) and 100 (inclusive)",
                            "data": None,
                        }
                    },
                },
            },
        )
        error, _ = self.get_json("posts?per_page=101&page=x", 400)
        self.assertEqual(error["message"], "Invalid parameter(s): page, per_page")
        self.assertEqual(error["data"]["params"]["page"], "page is not of type integer.")
        error, _ = self.get_json("posts?page=99", 400)
        self.assertEqual(error["code"], "rest_post_invalid_page_number")
        error, _ = self.get_json("comments?page=99", 400)
        self.assertEqual(error["code"], "rest_comment_invalid_page_number")
        terms, _ = self.get_json("tags?page=99")  # WordPress answers [] past the last page of terms
        self.assertEqual(terms, [])
        error, _ = self.get_json("posts/999999", 404)
        self.assertEqual(
            error, {"code": "rest_post_invalid_id", "message": "Invalid post ID.", "data": {"status": 404}}
        )
        for route, code in (("categories", "rest_term_invalid"), ("users", "rest_user_invalid_id")):
            error, _ = self.get_json(f"{route}/999999", 404)
            self.assertEqual(error["code"], code)
        error, _ = self.get_json("posts?order=up", 400)
        self.assertEqual(error["data"]["params"]["order"], "order is not one of asc and desc.")
        error, _ = self.get_json("posts?orderby=relevance", 400)
        self.assertEqual(error["code"], "rest_no_search_term_defined")
        error, _ = self.get_json("posts?after=yesterday", 400)
        self.assertEqual(error["data"]["params"]["after"], "Invalid date.")

    def test_unknown_routes_and_writes_are_rest_no_route(self):
        for path in ("/wp-json/wp/v2/widgets", "/wp-json/wp/v2/posts/abc", "/wp-json/acme/v1/things"):
            error, _ = self.get_json(path, 404)
            self.assertEqual(error["code"], "rest_no_route")
        response = self.client.post(API + "posts", {"title": "x"})
        self.assertEqual((response.status_code, response.json()["code"]), (404, "rest_no_route"))
        response = self.client.delete(API + f"posts/{self.lead.pk}")
        self.assertEqual(response.status_code, 404)


class TestPagingAndCaching(ApiTestCase):
    def test_totals_and_link_header(self):
        first, response = self.get_json("posts?per_page=2&orderby=id&order=asc")
        self.assertEqual((response["X-WP-Total"], response["X-WP-TotalPages"]), ("5", "3"))
        self.assertIn('/wp-json/wp/v2/posts?per_page=2&orderby=id&order=asc&page=2>; rel="next"', response["Link"])
        self.assertNotIn('rel="prev"', response["Link"])
        second, response = self.get_json("posts?per_page=2&orderby=id&order=asc&page=2")
        self.assertIn('page=1>; rel="prev"', response["Link"])
        self.assertIn('page=3>; rel="next"', response["Link"])
        last, response = self.get_json("posts?per_page=2&orderby=id&order=asc&page=3")
        self.assertNotIn('rel="next"', response["Link"])
        ids = [p["id"] for p in first + second + last]
        self.assertEqual(ids, sorted(ids))
        self.assertEqual(len(set(ids)), 5)
        self.assertEqual(response["Access-Control-Expose-Headers"], "X-WP-Total, X-WP-TotalPages, Link")

    def test_total_follows_publish_unpublish_and_delete_at_once(self):
        # The total is kept between requests (counting is the expensive part of a list at scale):
        # it must still change the moment the selection does, for every page size that shares it.
        def total(per_page: int) -> int:
            return int(self.get_json(f"posts?per_page={per_page}")[1]["X-WP-Total"])

        before = total(1)
        self.assertEqual(total(2), before)
        article = make_article(self.world, "خبر جديد يغير العدد")
        self.assertEqual((total(1), total(3)), (before + 1, before + 1))
        article.unpublish()
        self.assertEqual(total(4), before)
        article.save_revision().publish()
        self.assertEqual(total(5), before + 1)
        article.delete()
        self.assertEqual(total(6), before)
        self.assertEqual(int(self.get_json(f"posts?categories={self.world.pk}")[1]["X-WP-Total"]) < before, True)

    def test_etag_and_last_modified_answer_304(self):
        _, response = self.get_json("posts")
        self.assertEqual(response["Cache-Control"], "public, max-age=60")
        again = self.client.get(API + "posts", HTTP_IF_NONE_MATCH=response["ETag"])
        self.assertEqual(again.status_code, 304)
        changed = self.client.get(API + "posts?per_page=3", HTTP_IF_NONE_MATCH=response["ETag"])
        self.assertEqual(changed.status_code, 200)
        _, single = self.get_json(f"posts/{self.lead.pk}")
        since = self.client.get(API + f"posts/{self.lead.pk}", HTTP_IF_MODIFIED_SINCE=single["Last-Modified"])
        self.assertEqual(since.status_code, 304)
        # A list is not judged by date: an item leaving it changes no item's date.
        listed = self.client.get(API + "posts", HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
        self.assertEqual(listed.status_code, 200)

    def test_plain_rest_route_form(self):
        posts, _ = self.get_json("/?rest_route=/wp/v2/posts&per_page=1")
        self.assertEqual(len(posts), 1)
        index, _ = self.get_json("/?rest_route=/")
        self.assertEqual(index["namespaces"], ["wp/v2"])
        home = self.client.get("/")
        self.assertEqual(home.status_code, 200)
        self.assertIn("text/html", home["Content-Type"])


class TestFilters(ApiTestCase):
    def ids(self, query: str) -> list[int]:
        return [item["id"] for item in self.get_json("posts?" + query)[0]]

    def test_filters(self):
        self.assertEqual(self.ids(f"categories={self.iraq.pk}"), [self.lead.pk])
        self.assertEqual(set(self.ids(f"author={self.huda.pk}")), {self.lead.pk, self.with_photo.pk})
        bridge_tag = self.lead.tags.get(name="النقل").pk
        self.assertEqual(self.ids(f"tags={bridge_tag}"), [self.lead.pk])
        self.assertEqual(self.ids(f"slug={self.related.slug}"), [self.related.pk])
        self.assertEqual(self.ids("sticky=true"), [self.lead.pk])
        self.assertNotIn(self.lead.pk, self.ids("sticky=false"))
        self.assertEqual(
            self.ids(f"include={self.breaking.pk},{self.lead.pk}&orderby=include"), [self.breaking.pk, self.lead.pk]
        )
        self.assertNotIn(self.lead.pk, self.ids(f"exclude={self.lead.pk}"))
        after = (self.lead.first_published_at + datetime.timedelta(seconds=1)).strftime("%Y-%m-%dT%H:%M:%S")
        self.assertEqual(set(self.ids(f"after={after}Z&per_page=100")), {self.breaking.pk})
        by_title = self.get_json("posts?orderby=title&order=asc&per_page=100")[0]
        titles = [p["title"]["rendered"] for p in by_title]
        self.assertEqual(titles, sorted(titles))

    def test_arabic_search(self):
        # Murasil's analyzer strips the article: "الجسر" finds "جسر"; WordPress's LIKE '%الجسر%' would not.
        self.assertEqual(self.ids("search=الجسر"), [self.lead.pk])
        self.assertEqual(set(self.ids("search=بغداد&orderby=relevance")), {self.lead.pk, self.related.pk})
        self.assertEqual(set(self.ids("search=بغداد")), {self.lead.pk, self.related.pk})


class TestWordPressIds(ApiTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.imported = make_article(cls.sport, "خبر مستورد من ووردبريس")
        WordPressObject.objects.create(
            kind=Kind.POST,
            wp_id=cls.imported.pk,
            object_id=cls.imported.pk,
            data={"categories": [7001, 7002], "sticky": True, "format": "aside"},
        )
        WordPressObject.objects.create(kind=Kind.CATEGORY, wp_id=7001, object_id=cls.sport.pk)
        WordPressObject.objects.create(kind=Kind.CATEGORY, wp_id=7002, object_id=cls.world.pk)
        WordPressObject.objects.create(kind=Kind.PAGE, wp_id=8001, object_id=cls.about.pk)

    def test_imported_post_keeps_its_wordpress_facts(self):
        post, _ = self.get_json(f"posts/{self.imported.pk}")
        self.assertEqual((post["categories"], post["sticky"], post["format"]), ([7001, 7002], True, "aside"))
        self.assertIn(self.imported.pk, [p["id"] for p in self.get_json("posts?categories=7002")[0]])
        self.assertIn(self.imported.pk, [p["id"] for p in self.get_json("posts?sticky=true")[0]])

    def test_pages_and_sections_answer_with_their_wordpress_ids(self):
        category, _ = self.get_json("categories/7001")
        self.assertEqual((category["id"], category["slug"]), (7001, "sport"))
        self.get_json(f"categories/{self.sport.pk}", 404)  # that pk is known by its WordPress id now
        iraq, _ = self.get_json(f"categories/{self.iraq.pk}")
        self.assertEqual(iraq["parent"], 7002)
        page, _ = self.get_json("pages/8001")
        self.assertEqual((page["id"], page["slug"]), (8001, "about"))
        categories, _ = self.get_json(f"categories?post={self.imported.pk}")
        self.assertEqual({c["id"] for c in categories}, {7001, 7002})

    def test_new_articles_never_collide_with_imported_ids(self):
        WordPressObject.objects.create(kind=Kind.POST, wp_id=50_000, object_id=50_000)
        article = make_article(self.sport, "خبر جديد بعد الاستيراد")
        self.assertNotEqual(article.pk, 50_000)
        post, _ = self.get_json(f"posts/{article.pk}")
        self.assertEqual(post["id"], article.pk)


class TestBodyCache(ApiTestCase):
    def test_a_new_publish_shows_the_new_body(self):
        self.get_json(f"posts/{self.related.pk}")  # cached now
        self.related.body = [("heading", "عنوان فرعي جديد")]
        self.related.save_revision().publish()
        post, _ = self.get_json(f"posts/{self.related.pk}")
        self.assertEqual(post["content"]["rendered"], '<h2 class="body-heading">عنوان فرعي جديد</h2>\n')
