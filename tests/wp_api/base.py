"""A newsroom with everything the API must show and everything it must hide."""

import datetime
import json
from pathlib import Path

from django.utils import timezone

from wagtail.rich_text import RichText

from murasil.comments.models import Comment
from tests.comments.helpers import make_comment
from tests.factories import make_article, make_image
from tests.newsroom import NewsroomTestCase

FIELDS = json.loads((Path(__file__).parent / "wordpress_fields.json").read_text())
API = "/wp-json/wp/v2/"

SECRET_EMAIL = "hidden.reader@secret-mail.example"
SECRET_IP = "203.0.113.77"
SECRETS = [SECRET_EMAIL, "hidden.reader", "secret-mail.example", SECRET_IP, "SecretAgent/9.9"]


class ApiTestCase(NewsroomTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        now = timezone.now()
        secret = {"email": SECRET_EMAIL, "ip_address": SECRET_IP, "user_agent": "SecretAgent/9.9"}
        cls.approved = make_comment(cls.lead, "تعليق منشور على الجسر", **secret)
        cls.reply = make_comment(cls.lead, "رد منشور على التعليق", parent=cls.approved, **secret)
        cls.pending = make_comment(cls.lead, "تعليق ينتظر المراجعة", status=Comment.Status.PENDING, **secret)
        cls.spam = make_comment(cls.lead, "تعليق مزعج محجوز", status=Comment.Status.SPAM, **secret)
        cls.on_draft = make_comment(cls.draft, "تعليق على المسودة", **secret)
        # An image in a published body, one only in a draft's body, one featured only on a draft.
        cls.body_image = make_image("صورة في متن الخبر")
        cls.draft_image = make_image("صورة المسودة السرية")
        cls.with_photo = make_article(
            cls.world, "قمة عربية تناقش الأمن المائي", reporters=(cls.huda,), tags=("المياه",),
            published_at=now - datetime.timedelta(hours=8), standfirst="",
        )  # fmt: skip
        cls.with_photo.body = [
            ("paragraph", RichText("<p>ناقش القادة ملف المياه في جلسة مغلقة.</p>")),
            ("image", {"image": cls.body_image, "caption": "قاعة القمة", "credit": "مراسلين"}),
            ("quote", {"text": "الماء حياة", "attribution": "وزير"}),
            ("heading", "خلفية"),
        ]
        cls.with_photo.save()
        cls.with_photo.save_revision().publish()
        cls.scheduled = make_article(cls.sport, "خبر مجدول لم يحن موعده", publish=False, featured_image=cls.draft_image)
        cls.scheduled.go_live_at = now + datetime.timedelta(days=1)
        cls.scheduled.save_revision(approved_go_live_at=cls.scheduled.go_live_at)
        cls.expired = make_article(cls.sport, "خبر منتهي الصلاحية", published_at=now - datetime.timedelta(days=3))
        type(cls.expired).objects.filter(pk=cls.expired.pk).update(expire_at=now - datetime.timedelta(hours=1))
        cls.draft.body = [("image", {"image": cls.draft_image, "caption": "", "credit": ""})]
        cls.draft.featured_image = cls.draft_image
        cls.draft.save()
        cls.hidden_titles = [cls.draft.title, cls.scheduled.title, cls.expired.title]
        cls.hidden_comments = ["تعليق ينتظر المراجعة", "تعليق مزعج محجوز", "تعليق على المسودة"]

    def get_json(self, path: str, status: int = 200, **extra):
        response = self.client.get(path if path.startswith("/") else API + path, **extra)
        self.assertEqual(response.status_code, status, response.content[:500])
        self.assertEqual(response["Content-Type"], "application/json; charset=UTF-8")
        return response.json(), response
