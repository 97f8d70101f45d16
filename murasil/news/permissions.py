"""Who may do what with an article: Django's model permissions, plus ownership for reporters.

- ``news.add_article`` alone (the reporter group): create articles, and edit the ones you own.
- ``news.change_article`` (editors): edit every article.
- ``news.delete_article``, ``news.publish_article`` (Wagtail's snippet permission for
  DraftStateMixin models), ``news.lock_article`` / ``unlock_article``: as Django grants them, never
  from ownership. A reporter therefore cannot publish or delete even their own article.

Wagtail's snippet views check model-level permissions only, so ``ArticleViewSet`` also wraps every
URL that names an article with ``own_articles_only``: whoever may not edit all articles gets 403 on
any other article's edit, delete, history, revisions, preview, unpublish, lock or workflow URL.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse

from wagtail.permission_policies.base import ModelPermissionPolicy

from .models import Article


class ArticlePermissionPolicy(ModelPermissionPolicy):
    def __init__(self) -> None:
        super().__init__(Article)

    def _granted(self, user, action: str) -> bool:
        """The Django permission itself, without ownership."""
        return user.has_perm(self._get_permission_name(action))

    def user_can_edit_all(self, user) -> bool:
        return user.is_active and self._granted(user, "change")

    def user_has_permission(self, user, action: str) -> bool:
        if action == "change":
            # 'add' is enough to edit *some* articles (one's own): the listing and edit views open.
            return self._granted(user, "add") or self._granted(user, "change")
        return self._granted(user, action)

    def user_has_any_permission(self, user, actions) -> bool:
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions) -> QuerySet:
        if "change" in actions:
            actions = {*actions, "add"}
        return super().users_with_any_permission(actions)

    def user_has_permission_for_instance(self, user, action: str, instance: Article) -> bool:
        if action == "change" and not self.user_can_edit_all(user):
            return self._granted(user, "add") and instance.owner_id == user.pk
        return self.user_has_permission(user, action)

    def user_has_any_permission_for_instance(self, user, actions, instance: Article) -> bool:
        return any(self.user_has_permission_for_instance(user, action, instance) for action in actions)

    def instances_user_has_any_permission_for(self, user, actions) -> QuerySet:
        articles = Article.objects.all()
        if any(self._granted(user, action) for action in actions):
            return articles
        if "change" in actions and self._granted(user, "add"):
            return articles.filter(owner=user)
        return articles.none()


article_permission_policy = ArticlePermissionPolicy()


def visible_articles(user, articles: QuerySet) -> QuerySet:
    """The admin listing: everything for editors, one's own articles for reporters."""
    if article_permission_policy.user_can_edit_all(user):
        return articles
    return articles.filter(owner=user)


def choosable_articles(user, articles: QuerySet) -> QuerySet:
    """The article chooser: everything for editors; for reporters published articles and their own
    drafts (another reporter's draft headline is not theirs to read)."""
    if article_permission_policy.user_can_edit_all(user):
        return articles
    return articles.filter(Q(live=True) | Q(owner=user))


def own_articles_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Refuse any URL naming an article to a user who may not edit it (see the module docstring)."""

    @wraps(view)
    def checked(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        pk = kwargs.get("pk")
        user = request.user
        pk = unquote(str(pk)) if pk is not None else ""
        if pk.isdigit() and user.is_authenticated and not article_permission_policy.user_can_edit_all(user):
            owner_ids = list(Article.objects.filter(pk=int(pk)).values_list("owner_id", flat=True)[:1])
            if owner_ids and owner_ids[0] != user.pk:
                raise PermissionDenied
        return view(request, *args, **kwargs)

    return checked
