"""Admin login throttling (django-axes): lockout per username + address, cool-off, Redis down."""

import datetime
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import TestCase, override_settings
from django.utils import translation

import time_machine

from tests.services import free_port

PASSWORD = "نخلة-على-الشاطئ-2026"
LIMIT = settings.AXES_FAILURE_LIMIT


class LoginTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = get_user_model().objects.create_superuser("rana", "rana@example.com", PASSWORD)

    def setUp(self):
        cache.clear()

    def login(self, password: str, username: str = "rana", address: str = "198.51.100.7"):
        self.client.logout()
        return self.client.post(
            "/admin/login/", {"username": username, "password": password, "next": "/admin/"}, REMOTE_ADDR=address
        )

    def fail_logins(self, times: int, **kwargs) -> None:
        for attempt in range(1, times + 1):
            response = self.login("كلمة-خاطئة", **kwargs)
            # The failure that reaches the limit is answered with the lockout page itself.
            self.assertEqual(response.status_code, 429 if attempt >= LIMIT else 200, f"attempt {attempt}")

    def assert_logged_in(self, response) -> None:
        self.assertEqual(response.status_code, 302, response.content[:500])
        self.assertEqual(response["Location"], "/admin/")
        self.assertEqual(int(self.client.session["_auth_user_id"]), self.user.pk)

    def assert_locked(self, response) -> None:
        self.assertEqual(response.status_code, 429)
        self.assertNotIn("_auth_user_id", self.client.session)
        self.assertIn("محاولات", response.content.decode())  # the Arabic explanation


class TestLockout(LoginTestCase):
    def test_the_right_password_works_before_the_limit(self):
        self.fail_logins(LIMIT - 1)
        self.assert_logged_in(self.login(PASSWORD))

    def test_locked_after_the_limit_even_with_the_right_password(self):
        self.fail_logins(LIMIT)
        response = self.login(PASSWORD)
        self.assert_locked(response)
        self.assertEqual(int(response["Retry-After"]), int(settings.AXES_COOLOFF_TIME.total_seconds()))
        self.assert_locked(self.login(PASSWORD))  # still refused on the next try

    def test_the_lockout_message_is_in_arabic(self):
        self.fail_logins(LIMIT)
        with translation.override("ar"):
            text = self.login(PASSWORD).content.decode()
        minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
        self.assertIn("محاولات تسجيل دخول فاشلة كثيرة", text)
        self.assertIn(str(minutes), text)
        self.assertIn('dir="rtl"', text)

    def test_per_username_and_address(self):
        self.fail_logins(LIMIT)
        # The same editor from another address, and another name from the locked address, still get in.
        self.assert_logged_in(self.login(PASSWORD, address="203.0.113.9"))
        other = get_user_model().objects.create_superuser("omar", "omar@example.com", PASSWORD)
        response = self.login(PASSWORD, username="omar")
        self.assertEqual(response.status_code, 302)
        self.assertEqual(int(self.client.session["_auth_user_id"]), other.pk)
        self.assert_locked(self.login(PASSWORD))

    def test_a_success_clears_the_count(self):
        self.fail_logins(LIMIT - 1)
        self.assert_logged_in(self.login(PASSWORD))
        self.fail_logins(LIMIT - 1)
        self.assert_logged_in(self.login(PASSWORD))

    def test_unlocked_after_the_cool_off(self):
        self.fail_logins(LIMIT)
        self.assert_locked(self.login(PASSWORD))
        if "LocMemCache" in type(cache).__name__ or "locmem" in type(cache).__module__:
            later = datetime.datetime.now(tz=datetime.UTC) + settings.AXES_COOLOFF_TIME + datetime.timedelta(seconds=5)
            with time_machine.travel(later, tick=False):
                self.assert_logged_in(self.login(PASSWORD))
        else:
            # Redis keeps its own clock: a one-second cool-off, and a wait past it.
            with override_settings(AXES_COOLOFF_TIME=datetime.timedelta(seconds=1)):
                cache.clear()
                self.fail_logins(LIMIT)
                self.assert_locked(self.login(PASSWORD))
                time.sleep(2.5)
                self.assert_logged_in(self.login(PASSWORD))


@override_settings(
    CACHES={
        **settings.CACHES,
        "default": {
            "BACKEND": "murasil.core.cache.ResilientRedisCache",
            # Nothing listens there: Redis is down for the whole test.
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
            "OPTIONS": {"retry_after": 60, "log_every": 3600},
        },
    }
)
class TestRedisDown(LoginTestCase):
    def setUp(self):
        from axes.handlers.proxy import AxesProxyHandler

        AxesProxyHandler.implementation = None  # the handler holds its cache; take the one above
        self.addCleanup(setattr, AxesProxyHandler, "implementation", None)

    def test_logins_work_and_are_still_throttled(self):
        from django.core.cache import caches

        self.assert_logged_in(self.login(PASSWORD))
        self.fail_logins(LIMIT)
        self.assert_locked(self.login(PASSWORD))
        self.assertGreater(caches["default"]._fallback_calls, 0)  # counted in this process's memory


class TestPasswordValidators(TestCase):
    def test_weak_passwords_are_refused(self):
        from django.contrib.auth.password_validation import validate_password
        from django.core.exceptions import ValidationError

        user = get_user_model()(username="salmahadi", email="salma@example.com")
        for weak in ("12345678901", "password123", "salmahadi12", "قصيرة"):
            with self.subTest(weak=weak), self.assertRaises(ValidationError):
                validate_password(weak, user)
        validate_password(PASSWORD, user)
