"""Posting comments the way a browser does, with a real form stamp old enough to pass the timing check."""

from django.utils import timezone

import time_machine

from murasil.comments.models import Comment, CommentSettings
from murasil.comments.moderation import issue_form_stamp


def old_stamp(seconds: int = 30) -> str:
    with time_machine.travel(timezone.now() - timezone.timedelta(seconds=seconds)):
        return issue_form_stamp()


def comment_data(**overrides) -> dict:
    data = {
        "name": "سلمى",
        "email": "salma@example.org",
        "url": "",
        "text": "شكراً على التقرير الوافي.",
        "parent": "",
        "stamp": old_stamp(),
        "nickname": "",
    }
    data.update(overrides)
    return data


def make_comment(article, text="تعليق للتجربة", status=Comment.Status.APPROVED, **fields) -> Comment:
    fields.setdefault("name", "قارئ")
    fields.setdefault("email", "reader@example.org")
    return Comment.objects.create(article=article, text=text, status=status, **fields)


def relax_limits(**changes) -> None:
    conf = CommentSettings.load()
    for key, value in changes.items():
        setattr(conf, key, value)
    conf.save()
