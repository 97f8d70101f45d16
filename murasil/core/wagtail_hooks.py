"""The admin's two-step verification page and its entry in the account menu."""

from django.urls import path, reverse
from django.utils.translation import gettext as _

from wagtail import hooks

from .two_factor import enrolment_view


@hooks.register("register_admin_urls")
def two_factor_urls():
    return [path("account/two-factor/", enrolment_view, name="murasil_two_factor")]


@hooks.register("register_account_menu_item")
def two_factor_menu_item(request):
    return {
        "url": reverse("murasil_two_factor"),
        "label": _("Two-step verification"),
        "help_text": _("Ask for a code from an authenticator app at every sign-in."),
    }
