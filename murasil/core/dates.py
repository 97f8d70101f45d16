"""Arabic date formatting: Gregorian month names by region, with the Hijri (Umm al-Qura) date beside it.

Arab regions name the Gregorian months differently (Levant/Iraq "تشرين الثاني", Egypt/Gulf
"نوفمبر", Morocco "نونبر", Algeria/Tunisia "نوفمبر" with French-derived names for others), so the
site's region setting chooses the list. The Hijri date comes from hijridate's Umm al-Qura tables,
which cover 1343–1500 AH; outside that range it is simply left out.
"""

import datetime

from django.utils import timezone
from django.utils.translation import get_language

from hijridate import Gregorian

MONTHS = {
    "levant": [
        "كانون الثاني",
        "شباط",
        "آذار",
        "نيسان",
        "أيار",
        "حزيران",
        "تموز",
        "آب",
        "أيلول",
        "تشرين الأول",
        "تشرين الثاني",
        "كانون الأول",
    ],
    "egypt_gulf": [
        "يناير",
        "فبراير",
        "مارس",
        "أبريل",
        "مايو",
        "يونيو",
        "يوليو",
        "أغسطس",
        "سبتمبر",
        "أكتوبر",
        "نوفمبر",
        "ديسمبر",
    ],
    "morocco": [
        "يناير",
        "فبراير",
        "مارس",
        "أبريل",
        "ماي",
        "يونيو",
        "يوليوز",
        "غشت",
        "شتنبر",
        "أكتوبر",
        "نونبر",
        "دجنبر",
    ],
    "algeria_tunisia": [
        "جانفي",
        "فيفري",
        "مارس",
        "أفريل",
        "ماي",
        "جوان",
        "جويلية",
        "أوت",
        "سبتمبر",
        "أكتوبر",
        "نوفمبر",
        "ديسمبر",
    ],
}
WEEKDAYS = ["الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"]
ENGLISH_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def _is_arabic() -> bool:
    return (get_language() or "ar").startswith("ar")


def to_digits(text: str, style: str) -> str:
    return text.translate(ARABIC_INDIC) if style == "arabic_indic" else text


def gregorian_month(month: int, region: str) -> str:
    if region == "levant_dual":
        return f"{MONTHS['levant'][month - 1]}/{MONTHS['egypt_gulf'][month - 1]}"
    return MONTHS.get(region, MONTHS["levant"])[month - 1]


def hijri_text(day: datetime.date) -> str:
    """'19 جمادى الآخرة 1448 هـ', or '' outside the Umm al-Qura table."""
    try:
        hijri = Gregorian.fromdate(day).to_hijri()
    except (OverflowError, ValueError):
        return ""
    if _is_arabic():
        return f"{hijri.day} {hijri.month_name('ar')} {hijri.year} هـ"
    return f"{hijri.day} {hijri.month_name('en')} {hijri.year} AH"


def format_date(value: datetime.datetime | datetime.date, region: str = "levant", digits: str = "western") -> str:
    """The reader-facing date: weekday, Gregorian date and Hijri date, in the site's time zone."""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date()
    hijri = hijri_text(value)
    if _is_arabic():
        text = f"{WEEKDAYS[value.weekday()]} {value.day} {gregorian_month(value.month, region)} {value.year}"
        if hijri:
            text += f" الموافق {hijri}"
        return to_digits(text, digits)
    text = f"{value.strftime('%A')} {value.day} {ENGLISH_MONTHS[value.month - 1]} {value.year}"
    return f"{text} ({hijri})" if hijri else text


def format_short(value: datetime.datetime, region: str = "levant", digits: str = "western") -> str:
    """For article lists: the time alone today, day and month this year, the full date before that."""
    local = timezone.localtime(value)
    today = timezone.localtime(timezone.now()).date()
    if local.date() == today:
        return format_time(value, digits)
    if _is_arabic():
        text = f"{local.day} {gregorian_month(local.month, region)}"
        if local.year != today.year:
            text += f" {local.year}"
        return to_digits(text, digits)
    text = f"{local.day} {ENGLISH_MONTHS[local.month - 1]}"
    return text if local.year == today.year else f"{text} {local.year}"


def format_time(value: datetime.datetime, digits: str = "western") -> str:
    local = timezone.localtime(value)
    hour = local.hour % 12 or 12
    if _is_arabic():
        suffix = "ص" if local.hour < 12 else "م"
        return to_digits(f"{hour}:{local.minute:02d} {suffix}", digits)
    return f"{hour}:{local.minute:02d} {'AM' if local.hour < 12 else 'PM'}"
