"""Publish or unpublish many articles at once from the admin listing (Wagtail gives snippets bulk delete only)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from murasil.core.bulk_actions import ConfirmedBulkAction

from .models import Article


class ArticleBulkAction(ConfirmedBulkAction):
    models = [Article]

    def check_perm(self, article) -> bool:
        return self.request.user.has_perm("news.publish_article")


class PublishArticlesBulkAction(ArticleBulkAction):
    display_name = _("Publish")
    action_type = "publish"
    aria_label = _("Publish the selected articles")
    action_priority = 10

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        published = 0
        for article in objects:
            # The latest revision is what the editor last saved: a draft's text, or a live article's pending edit.
            revision = article.latest_revision or article.save_revision(user=user)
            revision.publish(user=user)
            published += 1
        return published, 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext("%(count)d article published.", "%(count)d articles published.", num_parent_objects) % {
            "count": num_parent_objects
        }


class UnpublishArticlesBulkAction(ArticleBulkAction):
    display_name = _("Unpublish")
    action_type = "unpublish"
    aria_label = _("Unpublish the selected articles")
    action_priority = 20

    def get_actionable_objects(self):
        objects, extra = super().get_actionable_objects()
        return [article for article in objects if article.live], extra

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        for article in objects:
            article.unpublish(user=user)
        return len(objects), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext("%(count)d article unpublished.", "%(count)d articles unpublished.", num_parent_objects) % {
            "count": num_parent_objects
        }
