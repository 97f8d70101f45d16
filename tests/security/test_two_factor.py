"""Optional TOTP two-step verification for staff: enrolment with a QR code, then a code at sign-in."""

import base64
from urllib.parse import parse_qs, urlsplit

from django.contrib.auth import get_user_model
from django.test import TestCase
from django.utils import translation

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

PASSWORD = "قلم-أحمر-على-المكتب-2026"


def code_for(device: TOTPDevice, offset: int = 0) -> str:
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset)
    return str(value).zfill(device.digits)


class TwoFactorTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = get_user_model().objects.create_superuser("layla", "layla@example.com", PASSWORD)

    def enrol(self) -> TOTPDevice:
        device = TOTPDevice.objects.create(user=self.user, name="authenticator", confirmed=True)
        # A code used once cannot be used again: start the device's history before "now".
        device.last_t = -1
        device.save()
        return device

    def sign_in(self, token: str = ""):
        self.client.logout()
        with translation.override("ar"):
            return self.client.post(
                "/admin/login/",
                {"username": "layla", "password": PASSWORD, "otp_token": token, "next": "/admin/"},
                HTTP_ACCEPT_LANGUAGE="ar",
            )


class TestSignIn(TwoFactorTestCase):
    def test_without_a_device_the_password_is_enough(self):
        response = self.sign_in()
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.client.get("/admin/").status_code, 200)

    def test_an_enrolled_user_must_give_the_code(self):
        device = self.enrol()
        response = self.sign_in()
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("_auth_user_id", self.client.session)
        self.assertIn("أدخل الرمز", response.content.decode())

        response = self.sign_in("000000" if code_for(device) != "000000" else "111111")
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("_auth_user_id", self.client.session)
        device.refresh_from_db()
        self.assertEqual(device.throttling_failure_count, 1)  # django-otp slows the next guesses down
        device.throttle_reset()

        response = self.sign_in(code_for(device))
        self.assertEqual(response.status_code, 302, response.content[-1500:])
        self.assertEqual(self.client.get("/admin/").status_code, 200)
        self.assertTrue(self.client.session.get("otp_device_id"))

    def test_a_code_cannot_be_replayed(self):
        device = self.enrol()
        token = code_for(device)
        self.assertEqual(self.sign_in(token).status_code, 302)
        self.assertEqual(self.sign_in(token).status_code, 200)  # the same code a second time

    def test_guessing_codes_locks_the_sign_in_like_wrong_passwords(self):
        from django.conf import settings

        device = self.enrol()
        right = code_for(device)
        wrong = "000000" if right != "000000" else "111111"
        for _attempt in range(settings.AXES_FAILURE_LIMIT):
            self.assertNotEqual(self.sign_in(wrong).status_code, 302)
        device.throttle_reset()
        response = self.sign_in(right)
        self.assertEqual(response.status_code, 429)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_a_session_without_the_code_is_signed_out(self):
        self.client.force_login(self.user)  # signed in before enrolling, or by another path
        self.enrol()
        response = self.client.get("/admin/pages/")
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith("/admin/login/"))
        self.assertNotIn("_auth_user_id", self.client.session)


class TestEnrolment(TwoFactorTestCase):
    def test_enrol_with_the_qr_code_then_turn_off(self):
        self.client.force_login(self.user)
        page = self.client.get("/admin/account/two-factor/")
        self.assertEqual(page.status_code, 200)
        html = page.content.decode()
        # The QR code is made here, as an SVG data: URI (allowed by the admin's img-src).
        self.assertIn('src="data:image/svg+xml;base64,', html)
        svg = base64.b64decode(html.split('src="data:image/svg+xml;base64,', 1)[1].split('"', 1)[0])
        self.assertIn(b"<svg", svg)
        pending = TOTPDevice.objects.get(user=self.user)
        self.assertFalse(pending.confirmed)
        secret = parse_qs(urlsplit(pending.config_url).query)["secret"][0]
        self.assertIn(secret, html)

        wrong = self.client.post("/admin/account/two-factor/", {"otp_token": "12"})
        self.assertEqual(wrong.status_code, 200)
        self.assertFalse(TOTPDevice.objects.get(user=self.user).confirmed)
        # After a wrong code django-otp makes the next try wait a moment (throttling); not tested here.
        TOTPDevice.objects.get(user=self.user).throttle_reset()

        done = self.client.post("/admin/account/two-factor/", {"otp_token": code_for(pending)})
        self.assertEqual(done.status_code, 302)
        self.assertTrue(TOTPDevice.objects.get(user=self.user).confirmed)
        # This session proved the code: it is not signed out.
        self.assertEqual(self.client.get("/admin/pages/").status_code, 200)
        self.assertIn("/admin/account/two-factor/", self.client.get("/admin/account/").content.decode())

        self.client.post("/admin/account/two-factor/", {"action": "disable"})
        self.assertFalse(TOTPDevice.objects.filter(user=self.user).exists())

    def test_the_code_of_the_next_window_is_accepted_for_clock_drift(self):
        device = self.enrol()
        self.assertEqual(self.sign_in(code_for(device, offset=1)).status_code, 302)
