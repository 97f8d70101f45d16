"""Random unicode, huge and malformed input at the comment form never causes a server error."""

from django.test import Client
from django.urls import reverse

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from murasil.comments.models import Comment
from tests.factories import ensure_site, make_article, make_section

from .helpers import old_stamp, relax_limits

text = st.text(st.characters(codec="utf-8"), max_size=300) | st.text(max_size=5) | st.just("ك" * 20_000)
junk = st.one_of(st.none(), text, st.integers().map(str), st.just("\x00"), st.just("-1"), st.just("9" * 40))
FIELDS = ["name", "email", "url", "text", "parent", "stamp", "nickname"]


class TestCommentFormFuzz(TestCase):
    @classmethod
    def setUpTestData(cls):
        ensure_site()
        cls.article = make_article(make_section("رياضة", "sport"), "خبر لتجربة المدخلات العشوائية")

    def setUp(self):
        relax_limits(per_ip_per_hour=0, per_email_per_hour=0, min_seconds=0)  # limits off: test the parsing

    @settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(values=st.fixed_dictionaries({}, optional=dict.fromkeys(FIELDS, junk)), as_json=st.booleans())
    def test_never_a_server_error(self, values, as_json):
        data = {k: v for k, v in values.items() if v is not None}
        headers = {"HTTP_ACCEPT": "application/json"} if as_json else {}
        response = Client().post(reverse("comments:post", args=[self.article.pk]), data, **headers)
        self.assertLess(response.status_code, 500)
        self.assertIn(response.status_code, {201, 303, 400, 403, 429})

    @settings(max_examples=40, deadline=None)
    @given(name=text, body=text, email=st.emails())
    def test_valid_looking_input_is_stored_exactly_as_written_or_refused(self, name, body, email):
        data = {"name": name, "email": email, "text": body, "stamp": old_stamp()}
        response = Client().post(reverse("comments:post", args=[self.article.pk]), data, HTTP_ACCEPT="application/json")
        self.assertIn(response.status_code, {201, 400})
        if response.status_code == 201:
            stored = Comment.objects.get(pk=response.json()["id"])
            self.assertEqual(stored.text, body.strip().replace("\x00", ""))
