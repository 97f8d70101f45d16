"""The newsroom admin: articles, reporters and tags as snippet listings in the main menu."""

from django import forms
from django.db.models import Case, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from taggit.models import Tag
from wagtail import hooks
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.tables import Column, DateColumn, LiveStatusTagColumn, UpdatedAtColumn
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.chooser import ChooseResultsView, ChooseView, SnippetChooserViewSet
from wagtail.snippets.views.snippets import CopyView, CreateView, IndexView, SnippetViewSet, SnippetViewSetGroup

from .bulk_actions import PublishArticlesBulkAction, UnpublishArticlesBulkAction
from .filters import ArticleFilterSet
from .models import Article, Reporter
from .permissions import article_permission_policy, choosable_articles, own_articles_only, visible_articles


class OwnedByCreatorMixin:
    """The account that creates an article (or a copy of one) owns it."""

    def save_instance(self):
        self.form.instance.owner = self.request.user
        return super().save_instance()


class ArticleCopyView(OwnedByCreatorMixin, CopyView):
    pass


class ArticleCreateView(OwnedByCreatorMixin, CreateView):
    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        # Autosave on the add form races a click on "Save draft" and can create the article twice, and
        # saves a headline-less article as soon as a section is picked. It stays on for editing.
        self.autosave_enabled = False


def search_articles(articles: QuerySet, query: str, best_first: bool = False) -> QuerySet:
    """Murasil's Arabic index for published articles (which holds nothing else), the headline for the
    rest; `best_first` orders them as the search ranks them, drafts after."""
    from murasil.search.index import search

    found = search(query).ids
    articles = articles.filter(Q(pk__in=found) | Q(live=False, title__icontains=query))
    if best_first and found:
        rank = Case(*(When(pk=pk, then=Value(i)) for i, pk in enumerate(found)), default=Value(len(found)))
        articles = articles.order_by(rank, "-updated_at", "-pk")
    return articles


class ArticleIndexView(IndexView):
    def search_queryset(self, queryset):
        return search_articles(queryset, self.search_query) if self.is_searching else queryset


class ArticleChooserFilterForm(BaseFilterForm):
    """The article chooser (the home page's lead story, for one) searches as the article listing does,
    not through Wagtail's index, which knows nothing of Arabic spelling."""

    q = forms.CharField(
        label=_("Search term"), widget=forms.TextInput(attrs={"placeholder": _("Search")}), required=False
    )

    def filter(self, objects):
        objects = super().filter(objects)
        query = self.cleaned_data.get("q")
        if query:
            objects = search_articles(objects, query, best_first=True)
            self.is_searching, self.search_query = True, query
        return objects


class ChoosableArticlesMixin:
    filter_form_class = ArticleChooserFilterForm

    def get_object_list(self):
        return choosable_articles(self.request.user, super().get_object_list())


class ArticleChooseView(ChoosableArticlesMixin, ChooseView):
    pass


class ArticleChooseResultsView(ChoosableArticlesMixin, ChooseResultsView):
    pass


class ArticleChooserViewSet(SnippetChooserViewSet):
    choose_view_class = ArticleChooseView
    choose_results_view_class = ArticleChooseResultsView


class ArticleViewSet(SnippetViewSet):
    model = Article
    icon = "doc-full"
    menu_label = _("Articles")
    menu_name = "articles"
    list_display = [
        "title",
        Column("section", label=_("Section"), accessor="section"),
        DateColumn("first_published_at", label=_("Published"), sort_key="first_published_at"),
        UpdatedAtColumn(),
        LiveStatusTagColumn(),
    ]
    list_per_page = 50
    list_export = ["id", "title", "section", "first_published_at", "last_published_at", "live", "full_url"]
    export_headings = {
        "id": _("ID"),
        "title": _("Headline"),
        "section": _("Section"),
        "first_published_at": _("Published"),
        "last_published_at": _("Updated"),
        "live": _("Live"),
        "full_url": _("Address"),
    }
    add_view_class = ArticleCreateView
    copy_view_class = ArticleCopyView
    index_view_class = ArticleIndexView
    chooser_viewset_class = ArticleChooserViewSet
    search_fields = ["title"]
    filterset_class = ArticleFilterSet
    # Most recently edited first: a new draft or a fresh correction is on page one, not after the archive.
    ordering = ["-updated_at", "-id"]

    @property
    def permission_policy(self):
        return article_permission_policy

    def get_queryset(self, request):
        # The section is shown in every row: fetch it with the articles, not once per row.
        articles = Article.objects.select_related("section", "latest_revision", "live_revision")
        return visible_articles(request.user, articles)

    def get_urlpatterns(self):
        # Wagtail checks snippet permissions per model; every URL naming an article also checks its owner.
        patterns = super().get_urlpatterns()
        for pattern in patterns:
            if "pk" in str(pattern.pattern):
                pattern.callback = own_articles_only(pattern.callback)
        return patterns


class ReporterViewSet(SnippetViewSet):
    model = Reporter
    icon = "user"
    menu_label = _("Reporters")
    menu_name = "reporters"
    list_display = ["name", "job_title"]
    # No search_fields: Wagtail's SQLite backend turns a field list into an FTS column filter that
    # its index table lacks ("no such column: name", a 503); the model's own index searches the name.


class TagViewSet(SnippetViewSet):
    model = Tag
    icon = "tag"
    menu_label = _("Tags")
    menu_name = "tags"
    list_display = ["name", "slug"]
    search_fields = ["name"]
    panels = [FieldPanel("name"), FieldPanel("slug")]


class NewsroomGroup(SnippetViewSetGroup):
    items = (ArticleViewSet, ReporterViewSet, TagViewSet)
    menu_icon = "doc-full-inverse"
    menu_label = _("Newsroom")
    menu_name = "newsroom"
    menu_order = 150


register_snippet(NewsroomGroup)


# Wagtail's bulk-action hook takes the action classes themselves.
hooks.register("register_bulk_action", PublishArticlesBulkAction)
hooks.register("register_bulk_action", UnpublishArticlesBulkAction)
