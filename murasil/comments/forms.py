from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from murasil.core.sanitize import strip_bidi_overrides

from .models import Comment
from .text import count_links


class CommentForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80)
    email = forms.EmailField(
        label=_("Email"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email", "dir": "ltr"})
    )
    url = forms.URLField(
        label=_("Website"),
        required=False,
        max_length=300,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"dir": "ltr"}),
    )
    text = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 6}))
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
    stamp = forms.CharField(required=False, widget=forms.HiddenInput, max_length=300)
    # A honeypot: hidden from people by CSS and aria-hidden, filled in by naive bots.
    nickname = forms.CharField(required=False, label=_("Leave this field empty"), max_length=200)

    def __init__(self, *args, article=None, conf=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.article = article
        self.conf = conf
        self.fields["name"].widget.attrs.update({"autocomplete": "name"})
        self.fields["nickname"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        if conf:
            self.fields["text"].max_length = conf.max_length
            self.fields["text"].validators.append(MaxLengthValidator(conf.max_length))
            self.fields["text"].widget.attrs["maxlength"] = conf.max_length

    def clean_name(self):
        # Bidi overrides would make the name read differently from what it is (core/sanitize.py).
        name = strip_bidi_overrides(self.cleaned_data["name"]).strip()
        if not name:
            raise forms.ValidationError(_("Please write your name."))
        return name

    def clean_url(self):
        url = self.cleaned_data.get("url", "")
        # Django's URL validator accepts any non-ASCII host, bidi overrides included: "https://‮gpj.exe"
        # would read as another address than the one the link goes to.
        if url and url != strip_bidi_overrides(url):
            raise forms.ValidationError(self.fields["url"].error_messages["invalid"], code="invalid")
        return url

    def clean_text(self):
        text = strip_bidi_overrides(self.cleaned_data["text"]).strip().replace("\x00", "")
        if not text:
            raise forms.ValidationError(_("Please write your comment."))
        if self.conf and count_links(text) > self.conf.max_links:
            raise forms.ValidationError(
                _("A comment may contain at most %(count)s links.") % {"count": self.conf.max_links}
            )
        return text

    def clean_parent(self):
        parent_id = self.cleaned_data.get("parent")
        if not parent_id:
            return None
        parent = Comment.objects.filter(pk=parent_id, article=self.article, status=Comment.Status.APPROVED).first()
        if parent is None:
            raise forms.ValidationError(_("The comment you are replying to is no longer available."))
        return parent
