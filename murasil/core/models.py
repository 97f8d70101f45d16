"""Site-wide pages and settings: the home page, static pages and the newsroom's identity."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Page

from .sanitize import clean_rich_text


@register_setting(icon="site")
class NewsroomSettings(BaseGenericSetting):
    """The outlet's identity and reader-facing conventions, edited under Settings in the admin."""

    REGION_CHOICES = [
        ("levant", _("Levant and Iraq (تشرين الثاني)")),
        ("levant_dual", _("Levant with the Egyptian name beside it (تشرين الثاني/نوفمبر)")),
        ("egypt_gulf", _("Egypt and the Gulf (نوفمبر)")),
        ("morocco", _("Morocco (نونبر)")),
        ("algeria_tunisia", _("Algeria and Tunisia (نوفمبر، جوان)")),
    ]
    DIGIT_CHOICES = [
        ("western", _("Western digits (2026)")),
        ("arabic_indic", _("Arabic-Indic digits (٢٠٢٦)")),
    ]

    outlet_name = models.CharField(
        _("outlet name"),
        max_length=100,
        default="مراسل",
        help_text=_("Also the publication name in feeds, Google News and search results."),
    )
    tagline = models.CharField(_("tagline"), max_length=200, blank=True)
    default_source = models.CharField(
        _("default source line"),
        max_length=120,
        blank=True,
        help_text=_("Shown after the byline when an article has no source line of its own."),
    )
    month_names = models.CharField(_("Gregorian month names"), max_length=20, choices=REGION_CHOICES, default="levant")
    digits = models.CharField(_("digits in dates"), max_length=20, choices=DIGIT_CHOICES, default="western")
    breaking_label = models.CharField(_("breaking news label"), max_length=30, default="عاجل")
    footer_text = models.CharField(_("footer text"), max_length=300, blank=True)
    # Sharing, search engines and feeds (read by murasil.syndication).
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Shown by search engines beside your articles. A wide image, at least 600 pixels across."),
    )
    share_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("default share image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Used in social previews of pages and articles that have no photo of their own."),
    )
    x_account = models.CharField(
        _("X (Twitter) account"), max_length=50, blank=True, help_text=_("The account name, without the @.")
    )
    facebook_url = models.URLField(_("Facebook page"), blank=True)
    instagram_url = models.URLField(_("Instagram account"), blank=True)
    youtube_url = models.URLField(_("YouTube channel"), blank=True)
    telegram_url = models.URLField(_("Telegram channel"), blank=True)
    feed_full_text = models.BooleanField(
        _("full text in feeds"),
        default=True,
        help_text=_("Feed readers get the whole article; otherwise only the standfirst and a link."),
    )
    feed_length = models.PositiveSmallIntegerField(
        _("articles per feed"), default=30, validators=[MinValueValidator(20), MaxValueValidator(50)]
    )

    select_related = ["logo", "share_image"]

    panels = [
        MultiFieldPanel(
            [FieldPanel("outlet_name"), FieldPanel("tagline"), FieldPanel("default_source")], _("Identity")
        ),
        MultiFieldPanel([FieldPanel("month_names"), FieldPanel("digits"), FieldPanel("breaking_label")], _("Dates")),
        FieldPanel("footer_text"),
        MultiFieldPanel(
            [
                FieldPanel("logo"),
                FieldPanel("share_image"),
                FieldPanel("x_account"),
                FieldPanel("facebook_url"),
                FieldPanel("instagram_url"),
                FieldPanel("youtube_url"),
                FieldPanel("telegram_url"),
            ],
            _("Sharing and search engines"),
        ),
        MultiFieldPanel([FieldPanel("feed_full_text"), FieldPanel("feed_length")], _("Feeds")),
    ]

    class Meta:
        verbose_name = _("newsroom settings")

    @property
    def social_profiles(self) -> list[str]:
        """The outlet's public accounts, as full addresses (schema.org `sameAs`)."""
        urls = [f"https://x.com/{self.x_account.lstrip('@')}"] if self.x_account else []
        urls += [self.facebook_url, self.instagram_url, self.youtube_url, self.telegram_url]
        return [url for url in urls if url]


class HomePage(Page):
    """The front page: lead story, breaking strip, latest news and a block per section."""

    lead_article = models.ForeignKey(
        "news.Article",
        verbose_name=_("lead story"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Leave empty to lead with the newest article marked as featured."),
    )
    latest_count = models.PositiveSmallIntegerField(_("number of latest articles"), default=10)
    section_block_size = models.PositiveSmallIntegerField(_("articles per section block"), default=4)

    content_panels = [
        *Page.content_panels,
        FieldPanel("lead_article"),
        FieldPanel("latest_count"),
        FieldPanel("section_block_size"),
    ]
    subpage_types = ["news.SectionPage", "core.StandardPage"]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        from murasil.news.front_page import front_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(front_page_context(self, now=timezone.now()))
        return context


class StandardPage(Page):
    """A static page such as About, Contact or Privacy."""

    intro = models.CharField(_("introduction"), max_length=300, blank=True)
    body = RichTextField(_("body"), features=["h2", "h3", "bold", "italic", "link", "ol", "ul"])

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    subpage_types: list[str] = []
    parent_page_types = ["core.HomePage"]

    class Meta:
        verbose_name = _("static page")

    def full_clean(self, *args, **kwargs) -> None:
        self.body = clean_rich_text(self.body)
        super().full_clean(*args, **kwargs)

    def save(self, *args, **kwargs):
        # The one allow-list (core/sanitize.py), for bodies that did not come through the editor.
        self.body = clean_rich_text(self.body)
        return super().save(*args, **kwargs)
