"""Filters for the newsroom's article listing in the admin."""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet

import django_filters

from .models import Article, Reporter, SectionPage


class SectionChoiceField(django_filters.fields.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        # Indent child sections under their parent: sections start at depth 3 of the page tree.
        return "— " * (obj.depth - 3) + obj.title


class SectionChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = SectionChoiceField


class ArticleFilterSet(WagtailFilterSet):
    STATUS_CHOICES = [
        ("live", _("Published")),
        ("changed", _("Published, with unpublished changes")),
        ("draft", _("Draft")),
        ("scheduled", _("Scheduled")),
    ]

    section = SectionChoiceFilter(
        label=_("Section"), queryset=SectionPage.objects.order_by("path"), method="filter_section"
    )
    reporter = django_filters.ModelChoiceFilter(
        label=_("Reporter"), queryset=Reporter.objects.all(), field_name="article_reporters__reporter"
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=STATUS_CHOICES, method="filter_status")
    first_published_at = django_filters.DateFromToRangeFilter(label=_("Published"), widget=DateRangePickerWidget)
    is_breaking = django_filters.ChoiceFilter(
        label=_("Breaking news"),
        choices=[("now", _("In the strip now")), ("1", _("Flagged, any time")), ("0", _("Never"))],
        method="filter_breaking",
    )

    class Meta:
        model = Article
        fields = ["section", "reporter", "status", "first_published_at", "is_breaking"]

    def filter_section(self, queryset, name, value):
        if not value:
            return queryset
        ids = SectionPage.objects.descendant_of(value, inclusive=True).values_list("id", flat=True)
        return queryset.filter(section_id__in=ids)

    def filter_breaking(self, queryset, name, value):
        if value == "now":
            return queryset.filter(breaking_until__gt=timezone.now())
        if value in ("0", "1"):
            return queryset.filter(breaking_until__isnull=value == "0")
        return queryset

    def filter_status(self, queryset, name, value):
        if value == "live":
            return queryset.filter(live=True)
        if value == "changed":
            return queryset.filter(live=True, has_unpublished_changes=True)
        if value == "draft":
            return queryset.filter(live=False).filter(Q(go_live_at__isnull=True) | Q(go_live_at__lte=timezone.now()))
        if value == "scheduled":
            return queryset.filter(live=False, go_live_at__gt=timezone.now())
        return queryset
