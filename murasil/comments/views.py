"""Reader side of comments: posting (with and without JavaScript), the form token, the reader's own
pending comments, and the CSRF-failure page that lets a no-JS reader confirm their comment.

Article pages may be served from a full-page cache, so nothing here is baked into them: the CSRF token
and form stamp come from `comment_token` when the reader starts writing, and the "awaiting
moderation" notice is fetched by the reader's own browser from `my_comments`.
"""

import logging

from django.core import signing
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from murasil.news.models import Article

from .forms import CommentForm
from .models import Comment, CommentSettings
from .moderation import (
    Rejected,
    check_form_stamp,
    check_rate_limits,
    client_ip,
    comments_closed,
    decide,
    issue_form_stamp,
)

log = logging.getLogger("murasil.comments")

MINE_COOKIE = "murasil_comments"  # signed, HttpOnly: ids of this browser's recent comments
MINE_HINT_COOKIE = "murasil_pending"  # readable by JS: "ask the server for my pending comments"
MINE_SALT = "murasil.comments.mine"
MINE_MAX_AGE = 7 * 24 * 3600


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _private(response: HttpResponse) -> HttpResponse:
    add_never_cache_headers(response)
    response.headers["Cache-Control"] += ", private"
    return response


@require_GET
def comment_token(request: HttpRequest) -> HttpResponse:
    """A CSRF token and a fresh form stamp, fetched by the comment form's script when the reader starts."""
    return _private(JsonResponse({"csrf": get_token(request), "stamp": issue_form_stamp()}))


def _my_comment_ids(request: HttpRequest) -> list[int]:
    try:
        return [
            int(i) for i in signing.loads(request.COOKIES.get(MINE_COOKIE, ""), salt=MINE_SALT, max_age=MINE_MAX_AGE)
        ]
    except (signing.BadSignature, TypeError, ValueError):
        return []


def _remember(response: HttpResponse, request: HttpRequest, comment: Comment) -> None:
    ids = ([comment.pk] + [i for i in _my_comment_ids(request) if i != comment.pk])[:20]
    response.set_cookie(
        MINE_COOKIE, signing.dumps(ids, salt=MINE_SALT), max_age=MINE_MAX_AGE, httponly=True, samesite="Lax",
        secure=request.is_secure(),
    )  # fmt: skip
    if comment.status != Comment.Status.APPROVED:
        response.set_cookie(MINE_HINT_COOKIE, "1", max_age=MINE_MAX_AGE, samesite="Lax", secure=request.is_secure())


@require_GET
def my_comments(request: HttpRequest, article_id: int) -> HttpResponse:
    """This browser's comments on an article that still await moderation (shown to their author only)."""
    ids = _my_comment_ids(request)
    pending = Comment.objects.filter(pk__in=ids, article_id=article_id, status=Comment.Status.PENDING)
    items = [
        {"id": c.pk, "parent": c.parent_id, "html": render_to_string("comments/comment_pending.html", {"comment": c})}
        for c in pending
    ]
    return _private(JsonResponse({"comments": items}))


def _store(form: CommentForm, request: HttpRequest, article: Article, key: str, conf: CommentSettings) -> Comment:
    """Save once per form stamp: a repeated submission returns the comment stored the first time."""
    data = form.cleaned_data
    comment = Comment(
        article=article,
        parent=data["parent"],
        name=data["name"],
        email=data["email"],
        url=data["url"],
        text=data["text"],
        ip_address=client_ip(request),
        user_agent=request.headers.get("User-Agent", "")[:300],
        submission_key=key,
    )
    decision = decide(comment, conf)
    comment.status, comment.spam_reason = decision.status, decision.reason
    if comment.status == Comment.Status.APPROVED:
        comment.moderated_at = timezone.now()
    try:
        with transaction.atomic():
            comment.save()
    except IntegrityError:
        existing = Comment.objects.filter(submission_key=key).first()
        if existing is None:
            raise
        return existing
    if comment.status == Comment.Status.SPAM:
        log.info("Comment %s held as spam on article %s: %s", comment.pk, article.pk, decision.reason)
    return comment


def _form_page(request, article, form, message="", status=400) -> HttpResponse:
    """The comment form on a page of its own (no JS): errors or a confirmation, with a fresh token and stamp."""
    context = {
        "article": article,
        "form": form,
        "stamp": issue_form_stamp(),
        "message": message,
        "csrf_token": get_token(request),
    }
    return _private(render(request, "comments/form_page.html", context, status=status))


@require_POST
def post_comment(request: HttpRequest, article_id: int) -> HttpResponse:
    article = get_object_or_404(Article.objects.published().select_related("section"), pk=article_id)
    conf = CommentSettings.load(request_or_site=request)
    form = CommentForm(request.POST, article=article, conf=conf)
    wants_json = _wants_json(request)
    try:
        if comments_closed(article, conf):
            raise Rejected(_("Comments are closed on this article."), status=403, reason="closed")
        if form.data.get("nickname"):
            raise Rejected(_("We could not accept this comment."), reason="honeypot")
        if not form.is_valid():
            if wants_json:
                errors = {field: [str(e) for e in errs] for field, errs in form.errors.items()}
                return _private(JsonResponse({"ok": False, "errors": errors}, status=400))
            return _form_page(request, article, form, _("Please correct the marked fields."))
        key = check_form_stamp(form.cleaned_data["stamp"], conf.min_seconds)
        check_rate_limits(client_ip(request), form.cleaned_data["email"], conf)
    except Rejected as rejection:
        log.warning(
            "Comment rejected on article %s (%s) from %s", article.pk, rejection.reason, client_ip(request) or "?"
        )
        if wants_json:
            return _private(JsonResponse({"ok": False, "message": rejection.message}, status=rejection.status))
        if rejection.reason in ("stamp", "too fast"):
            return _form_page(request, article, form, rejection.message)
        return _form_page(request, article, form, rejection.message, status=rejection.status)

    comment = _store(form, request, article, key, conf)
    approved = comment.status == Comment.Status.APPROVED
    if wants_json:
        template = "comments/comment.html" if approved else "comments/comment_pending.html"
        payload = {
            "ok": True,
            "status": "approved" if approved else "pending",
            "id": comment.pk,
            "parent": comment.parent_id,
            "html": render_to_string(template, {"comment": comment, "replies_open": False}, request=request),
        }
        response = JsonResponse(payload, status=201)
    elif approved:
        response = redirect(comment.get_absolute_url())
    else:
        token = signing.dumps(comment.pk, salt=MINE_SALT)
        response = redirect(reverse("comments:posted", args=[token]))
    response.status_code = 201 if wants_json else 303
    _remember(response, request, comment)
    return _private(response)


@require_GET
def posted(request: HttpRequest, token: str) -> HttpResponse:
    """After a no-JS post: the reader's comment with the "awaiting moderation" notice."""
    try:
        pk = signing.loads(token, salt=MINE_SALT, max_age=MINE_MAX_AGE)
    except signing.BadSignature:
        raise Http404 from None
    comment = get_object_or_404(Comment.objects.select_related("article__section"), pk=pk)
    if comment.status == Comment.Status.APPROVED:
        return redirect(comment.get_absolute_url())
    if comment.status != Comment.Status.PENDING:
        raise Http404
    return _private(render(request, "comments/posted.html", {"comment": comment, "article": comment.article}))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A comment posted from a cached page without JavaScript has no CSRF token yet: show it back for a
    second click (with a token now), keeping everything the reader wrote. Anything else: an Arabic 403."""
    match = request.resolver_match
    if request.method == "POST" and match and match.view_name == "comments:post":
        article = Article.objects.published().filter(pk=match.kwargs.get("article_id")).first()
        if article:
            conf = CommentSettings.load(request_or_site=request)
            form = CommentForm(request.POST, article=article, conf=conf)
            form.is_valid()
            message = _("Please check your comment and press Send again to confirm it.")
            return _form_page(request, article, form, message, status=403)
    return render(request, "403_csrf.html", status=403)


@require_GET
def reply_form(request: HttpRequest, article_id: int, comment_id: int) -> HttpResponse:
    """The "reply" link without JavaScript: the form on its own page, under the comment being answered."""
    article = get_object_or_404(Article.objects.published().select_related("section"), pk=article_id)
    parent = get_object_or_404(Comment, pk=comment_id, article=article, status=Comment.Status.APPROVED)
    conf = CommentSettings.load(request_or_site=request)
    if comments_closed(article, conf):
        return redirect(article.get_absolute_url() + "#comments")
    form = CommentForm(initial={"parent": parent.pk}, article=article, conf=conf)
    context = {
        "article": article,
        "form": form,
        "stamp": issue_form_stamp(),
        "replying_to": parent,
        "csrf_token": get_token(request),
    }
    return _private(render(request, "comments/form_page.html", context))
