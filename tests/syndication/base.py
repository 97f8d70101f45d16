"""The shared newsroom plus what must never be syndicated: a draft, a scheduled, an expired and a
withdrawn article (each carrying a tag, a reporter or a section that published articles share)."""

import datetime

from django.utils import timezone

from murasil.core.site_url import sync_default_site
from murasil.news.models import Article
from tests.factories import make_article
from tests.newsroom import NewsroomTestCase


class SyndicationTestCase(NewsroomTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        sync_default_site()  # pages' own full URLs on MURASIL_SITE_URL, as `murasil serve` does
        now = timezone.now()
        cls.scheduled = make_article(cls.iraq, "خبر مجدول للنشر بعد يومين", publish=False, tags=("بغداد",))
        cls.scheduled.go_live_at = now + datetime.timedelta(days=2)
        cls.scheduled.save_revision().publish()
        cls.expired = make_article(cls.sport, "خبر انتهت صلاحيته أمس", tags=("بغداد",), reporters=(cls.anas,))
        Article.objects.filter(pk=cls.expired.pk).update(expire_at=now - datetime.timedelta(minutes=1))
        cls.withdrawn = make_article(cls.iraq, "خبر سحب من النشر", tags=("بغداد",), reporters=(cls.anas,))
        cls.withdrawn.unpublish()
        cls.hidden = [cls.draft, cls.scheduled, cls.expired, cls.withdrawn]
        cls.visible = [cls.lead, cls.related, cls.breaking, cls.old_breaking]
