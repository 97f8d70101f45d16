"""A small Arabic newsroom shared by the page tests (built once per test class)."""

import datetime

from django.test import TestCase
from django.utils import timezone

from murasil.core.models import NewsroomSettings

from .factories import make_article, make_image, make_reporter, make_section, make_static_page


class NewsroomTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        now = timezone.now()
        conf = NewsroomSettings.load()
        conf.outlet_name = "مراسلين"
        conf.default_source = "مراسلين"
        conf.save()
        cls.world = make_section("عربي و دولي", "arab-world")
        cls.iraq = make_section("العراق", "iraq", parent=cls.world, in_menu=False)
        cls.sport = make_section("رياضة", "sport")
        cls.anas = make_reporter("أنس الشيخ أحمد", "anas", job_title="مراسل", bio="يغطي الشأن العراقي منذ عشر سنوات.")
        cls.huda = make_reporter("هدى الساعدي", "huda", photo=make_image("هدى"))
        cls.lead = make_article(
            cls.iraq,
            "افتتاح جسر جديد يربط ضفتي دجلة في بغداد",
            kicker="خدمات",
            standfirst="الجسر يختصر زمن التنقل بين الكرخ والرصافة إلى النصف.",
            reporters=(cls.anas, cls.huda),
            tags=("بغداد", "النقل"),
            published_at=now - datetime.timedelta(hours=2),
            featured_image=make_image("الجسر"),
            featured_image_caption="الجسر الجديد عند الغروب",
            featured_image_credit="مراسلين",
            is_featured=True,
            paragraphs=("افتتحت أمانة بغداد صباح اليوم جسراً جديداً.", "وقال مسؤول إن العمل استمر عامين."),
        )
        cls.related = make_article(
            cls.world,
            "ازدحام مروري في بغداد مع بدء العام الدراسي",
            tags=("بغداد",),
            published_at=now - datetime.timedelta(hours=5),
            reporters=(cls.anas,),
        )
        cls.breaking = make_article(
            cls.sport,
            "المنتخب يتأهل إلى نهائي كأس العرب",
            is_breaking=True,
            published_at=now - datetime.timedelta(minutes=30),
        )
        cls.old_breaking = make_article(
            cls.sport, "نتيجة مباراة الأمس في الدوري", is_breaking=True, published_at=now - datetime.timedelta(days=2)
        )
        cls.draft = make_article(cls.iraq, "مسودة لم تنشر بعد عن الموازنة", publish=False, tags=("بغداد",))
        cls.about = make_static_page("من نحن", "about", "<p>مراسلين موقع إخباري مستقل.</p>")
