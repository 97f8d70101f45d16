import datetime

from django.test import SimpleTestCase, override_settings
from django.utils import translation

from murasil.core.dates import format_date, format_time, hijri_text


@override_settings(TIME_ZONE="Asia/Amman")
class TestArabicDates(SimpleTestCase):
    when = datetime.datetime(2026, 11, 29, 7, 5, tzinfo=datetime.UTC)  # 10:05 in Amman

    def test_levant_month_names_with_hijri_date(self):
        """The Levant region names November تشرين الثاني and adds the Umm al-Qura date."""
        with translation.override("ar"):
            text = format_date(self.when, "levant")
        self.assertEqual(text, "الأحد 29 تشرين الثاني 2026 الموافق 19 جمادى الآخرة 1448 هـ")

    def test_regions_choose_their_month_names(self):
        with translation.override("ar"):
            self.assertIn("نوفمبر", format_date(self.when, "egypt_gulf"))
            self.assertIn("نونبر", format_date(self.when, "morocco"))
            self.assertIn("تشرين الثاني/نوفمبر", format_date(self.when, "levant_dual"))
            self.assertIn("جوان", format_date(datetime.date(2026, 6, 10), "algeria_tunisia"))

    def test_arabic_indic_digits(self):
        with translation.override("ar"):
            text = format_date(self.when, "egypt_gulf", digits="arabic_indic")
        self.assertIn("٢٩ نوفمبر ٢٠٢٦", text)
        self.assertNotRegex(text, r"[0-9]")

    def test_local_time_of_day(self):
        with translation.override("ar"):
            self.assertEqual(format_time(self.when), "10:05 ص")
            self.assertEqual(format_time(self.when + datetime.timedelta(hours=6)), "4:05 م")

    def test_english_dates(self):
        with translation.override("en"):
            self.assertEqual(format_date(self.when), "Sunday 29 November 2026 (19 Jumada al-Akhirah 1448 AH)")

    def test_hijri_left_out_outside_the_table(self):
        with translation.override("ar"):
            self.assertEqual(hijri_text(datetime.date(1900, 1, 1)), "")
            self.assertEqual(format_date(datetime.date(1900, 1, 1)), "الاثنين 1 كانون الثاني 1900")

    def test_date_follows_the_site_time_zone(self):
        """23:30 UTC on the 28th is already the 29th in Amman (UTC+3)."""
        late = datetime.datetime(2026, 11, 28, 23, 30, tzinfo=datetime.UTC)
        with translation.override("ar"):
            self.assertTrue(format_date(late).startswith("الأحد 29"))
