"""Moderate many comments at once: approve, mark as spam, move to trash."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from murasil.core.bulk_actions import ConfirmedBulkAction

from .models import Comment


class ModerateBulkAction(ConfirmedBulkAction):
    models = [Comment]
    new_status = ""

    def check_perm(self, comment) -> bool:
        return self.request.user.has_perm("comments.change_comment")

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        for comment in objects:
            comment.status = cls.new_status
            comment.moderated_at = timezone.now()
            comment.save(update_fields=["status", "moderated_at"])
        return len(objects), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext("%(count)d comment updated.", "%(count)d comments updated.", num_parent_objects) % {
            "count": num_parent_objects
        }


class ApproveBulkAction(ModerateBulkAction):
    display_name = _("Approve")
    action_type = "approve"
    aria_label = _("Approve the selected comments")
    action_priority = 10
    new_status = Comment.Status.APPROVED


class SpamBulkAction(ModerateBulkAction):
    display_name = _("Spam")
    action_type = "spam"
    aria_label = _("Mark the selected comments as spam")
    action_priority = 20
    new_status = Comment.Status.SPAM


class TrashBulkAction(ModerateBulkAction):
    display_name = _("Trash")
    action_type = "trash"
    aria_label = _("Move the selected comments to the trash")
    action_priority = 25
    new_status = Comment.Status.TRASH
