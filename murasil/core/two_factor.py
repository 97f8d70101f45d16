"""Optional TOTP two-factor sign-in for staff (django-otp).

A staff member who enrolled an authenticator app (the admin's account menu → two-step verification)
must give its current six-digit code with their password at the Wagtail login; everyone else signs in
with the password alone. A session that signed in before enrolment, or otherwise without a code, is
sent back to the login page by `RequireVerifiedMiddleware`.
"""

import base64
from io import BytesIO

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm

from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

DEVICE_NAME = "authenticator"


def confirmed_device(user) -> TOTPDevice | None:
    if not getattr(user, "pk", None):
        return None
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


class TokenField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 8)
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "dir": "ltr"}),
        )
        super().__init__(**kwargs)

    def clean(self, value):
        return "".join(super().clean(value).split())


class LoginForm(WagtailLoginForm):
    """Wagtail's login form with a code field, required only of those who enrolled a device."""

    otp_token = TokenField(
        required=False,
        label=gettext_lazy("Verification code"),
        help_text=gettext_lazy("Only if you turned on two-step verification: the code from your authenticator app."),
    )

    def clean(self):
        cleaned = super().clean()
        user = self.get_user()
        device = confirmed_device(user)
        if device is None:
            return cleaned
        token = cleaned.get("otp_token")
        if not token:
            raise forms.ValidationError(
                _("Enter the code from your authenticator app to sign in."), code="token_required"
            )
        allowed, _extra = device.verify_is_allowed()
        if not allowed or not device.verify_token(token):
            # Counted like a wrong password (django-axes): guessing codes locks the pair out too.
            user_login_failed.send(
                sender=__name__, credentials={"username": cleaned.get("username")}, request=self.request
            )
            raise forms.ValidationError(
                _("That code is wrong or has expired. Wait for a new code and try again."), code="invalid_token"
            )
        user.otp_device = device  # django-otp marks the session verified when Django logs the user in
        return cleaned


class RequireVerifiedMiddleware:
    """An admin session of a user with a device, not verified with a code, is signed out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            request.path_info.startswith("/admin/")
            and user is not None
            and user.is_authenticated
            and not user.is_verified()
            and confirmed_device(user) is not None
        ):
            logout(request)
            return HttpResponseRedirect(f"{reverse('wagtailadmin_login')}?next={request.path}")
        return self.get_response(request)


class ConfirmForm(forms.Form):
    otp_token = TokenField(label=gettext_lazy("Code from the app"))


def qr_svg(uri: str) -> str:
    """The enrolment QR code as a data: URI of an SVG, made here (no third-party service sees the secret)."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    buffer = BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def enrolment_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    device = confirmed_device(user)
    if request.method == "POST" and request.POST.get("action") == "disable" and device is not None:
        TOTPDevice.objects.filter(user=user).delete()
        messages.success(request, _("Two-step verification is turned off for your account."))
        return redirect("murasil_two_factor")
    if device is not None:
        return TemplateResponse(request, "core/security/two_factor.html", {"enabled": True})

    pending = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if pending is None:
        pending = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if pending.verify_token(form.cleaned_data["otp_token"]):
            pending.confirmed = True
            pending.save(update_fields=["confirmed"])
            otp_login(request, pending)  # this session already proved the code
            messages.success(request, _("Two-step verification is on: the next sign-in will ask for a code."))
            return redirect("murasil_two_factor")
        form.add_error("otp_token", _("That code is wrong or has expired. Wait for a new code and try again."))
    context = {
        "enabled": False,
        "form": form,
        "qr": qr_svg(pending.config_url),
        "secret": base64.b32encode(pending.bin_key).decode().rstrip("="),
        "issuer": settings.OTP_TOTP_ISSUER,
    }
    return TemplateResponse(request, "core/security/two_factor.html", context)
