"""The moderation queue in the Wagtail admin: pending count in the menu, filters, actions, staff replies.

Email and IP address appear here and only here.
"""

from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn
from wagtail.admin.widgets import ListingButton
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

import django_filters

from .bulk_actions import ApproveBulkAction, SpamBulkAction, TrashBulkAction
from .models import BlockedTerm, Comment


class CommentFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Comment.Status.choices)
    article = django_filters.NumberFilter(label=_("Article number"), field_name="article_id")
    created_at = django_filters.DateFromToRangeFilter(label=_("Posted"), widget=DateRangePickerWidget)

    class Meta:
        model = Comment
        fields = ["status", "article", "created_at"]


class PendingCountMenuItem(MenuItem):
    """The menu label carries the number of comments awaiting moderation."""

    def render_component(self, request):
        component = super().render_component(request)
        pending = Comment.objects.filter(status=Comment.Status.PENDING).count()
        if pending:
            component.label = f"{self.label} ({pending})"
        return component

    def is_shown(self, request):
        return request.user.has_perm("comments.change_comment")


class ArticleColumn(Column):
    def get_value(self, instance):
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>', instance.article.get_absolute_url(), instance.article
        )


class ReplyForm(forms.Form):
    text = forms.CharField(label=_("Reply"), widget=forms.Textarea(attrs={"rows": 6}))


class CommentViewSet(SnippetViewSet):
    model = Comment
    icon = "comment"
    menu_label = _("Comments")
    menu_name = "comments"
    menu_order = 160
    add_to_admin_menu = True
    copy_view_enabled = False
    filterset_class = CommentFilterSet
    ordering = ["-created_at", "-id"]
    list_per_page = 50
    search_fields = ["text", "name", "email"]
    list_display = [
        "__str__",
        "email",
        "ip_address",
        ArticleColumn("article", label=_("Article")),
        StatusTagColumn(
            "status", label=_("Status"), accessor="get_status_display", primary=lambda c: c.status == "approved"
        ),
        DateColumn("created_at", label=_("Posted"), sort_key="created_at"),
    ]
    list_export = [
        "id",
        "article_id",
        "parent_id",
        "name",
        "email",
        "url",
        "ip_address",
        "text",
        "status",
        "created_at",
    ]

    @property
    def menu_item_class(self):
        return PendingCountMenuItem

    def get_queryset(self, request):
        return Comment.objects.select_related("article__section")

    def get_urlpatterns(self):
        return [*super().get_urlpatterns(), path("reply/<int:pk>/", self.reply_view, name="reply")]

    def reply_view(self, request, pk):
        if not request.user.has_perm("comments.add_comment"):
            raise PermissionDenied
        comment = get_object_or_404(Comment.objects.select_related("article__section"), pk=pk)
        form = ReplyForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            from murasil.core.models import NewsroomSettings

            name = request.user.get_full_name() or NewsroomSettings.load(request_or_site=request).outlet_name
            reply = Comment.objects.create(
                article=comment.article,
                parent=comment,
                name=name,
                email=request.user.email or "newsroom@localhost",
                text=form.cleaned_data["text"],
                status=Comment.Status.APPROVED,
                is_staff_reply=True,
                user=request.user,
                moderated_at=timezone.now(),
            )
            if comment.status == Comment.Status.PENDING:
                # Answering a comment publishes it: the reply would make no sense on its own.
                comment.status, comment.moderated_at = Comment.Status.APPROVED, timezone.now()
                comment.save(update_fields=["status", "moderated_at"])
            messages.success(request, _("Your reply is published."))
            return redirect(reply.get_absolute_url())
        return TemplateResponse(request, "comments/admin/reply.html", {"comment": comment, "form": form})


# Row actions: approve, spam and trash go through the bulk-action confirmation page; reply has its own form.
ROW_ACTIONS = [
    ("approve", Comment.Status.APPROVED, _("Approve"), "check"),
    ("spam", Comment.Status.SPAM, _("Spam"), "warning"),
    ("trash", Comment.Status.TRASH, _("Trash"), "bin"),
]


def row_buttons(comment: Comment, next_url: str) -> list:
    buttons = []
    for priority, (action, status, label, icon) in enumerate(ROW_ACTIONS, start=1):
        if comment.status != status:
            url = reverse("wagtail_bulk_action", args=["comments", "comment", action])
            buttons.append(
                ListingButton(label, f"{url}?id={comment.pk}&next={next_url}", icon_name=icon, priority=priority)
            )
    reply_url = reverse("wagtailsnippets_comments_comment:reply", args=[comment.pk])
    buttons.append(ListingButton(_("Reply"), reply_url, icon_name="comment", priority=4))
    return buttons


class BlockedTermViewSet(SnippetViewSet):
    model = BlockedTerm
    icon = "warning"
    menu_label = _("Comment blocklist")
    menu_name = "comment-blocklist"
    add_to_settings_menu = True
    list_display = ["value", "kind", "note"]
    list_filter = ["kind"]
    search_fields = ["value", "note"]


register_snippet(CommentViewSet)
register_snippet(BlockedTermViewSet)
hooks.register("register_bulk_action", ApproveBulkAction)
hooks.register("register_bulk_action", SpamBulkAction)
hooks.register("register_bulk_action", TrashBulkAction)


@hooks.register("register_snippet_listing_buttons")
def comment_row_buttons(snippet, user, next_url=None):
    if isinstance(snippet, Comment) and user.has_perm("comments.change_comment"):
        return row_buttons(snippet, next_url or reverse("wagtailsnippets_comments_comment:list"))
    return []
