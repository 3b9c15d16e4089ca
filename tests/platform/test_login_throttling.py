"""Passwords are hashed with Argon2; repeated failed log-ins are throttled (django-axes)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client


def test_argon2_first() -> None:
    assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_repeated_failures_lock_the_account_for_a_while(db: None) -> None:
    user = get_user_model().objects.create_user("officer", password="right password 123")
    assert user.password.startswith("argon2")
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        r = client.post("/admin/login/", {"username": "officer", "password": "wrong"})
        assert r.status_code == 200  # the form again, with an error
    r = client.post("/admin/login/", {"username": "officer", "password": "wrong"})
    assert r.status_code == 429  # the limit reached: locked out
    r = client.post("/admin/login/", {"username": "officer", "password": "right password 123"})
    assert r.status_code == 429  # locked out, even with the right password
    # another user from the same address is not locked
    get_user_model().objects.create_user("other", password="right password 456", is_staff=True)
    r = Client().post("/admin/login/", {"username": "other", "password": "right password 456"})
    assert r.status_code == 302


def test_a_success_resets_the_count(db: None) -> None:
    get_user_model().objects.create_user("clerk", password="right password 123", is_staff=True)
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post("/admin/login/", {"username": "clerk", "password": "wrong"})
    assert client.post("/admin/login/", {"username": "clerk", "password": "right password 123"}).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post("/admin/login/", {"username": "clerk", "password": "wrong"})
    assert client.post("/admin/login/", {"username": "clerk", "password": "right password 123"}).status_code == 302
