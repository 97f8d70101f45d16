"""The base of Murasil's admin bulk actions (articles, comments): one confirmation page for all."""

from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction


class ConfirmedBulkAction(SnippetBulkAction):
    template_name = "bulk_actions/confirm.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "action_label": self.display_name}
