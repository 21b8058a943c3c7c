"""The back-office login: repeated failures lock out the account and the address (django-axes),
the admin's path is configurable, and staff can be asked for a one-time code (django-otp)."""

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.urls import clear_url_caches, reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "mot-de-passe-de-test-1"  # UserFactory's
ATTACKER = "198.51.100.7"


@pytest.fixture
def staff():
    return UserFactory(username="coordination", is_staff=True, is_superuser=True)


def log_in(client, username, password, address=ATTACKER, **extra):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index"), **extra},
        REMOTE_ADDR=address,
    )


def is_logged_in(response):
    return response.status_code == 302 and response["Location"] == reverse("admin:index")


def fail(client, username, times, address=ATTACKER):
    for _ in range(times):
        response = log_in(client, username, "mauvais", address)
        assert response.status_code in (200, 429)


def test_repeated_failures_lock_out_the_account_even_with_the_right_password(
    client, settings, staff
):
    fail(client, "coordination", settings.AXES_FAILURE_LIMIT)
    response = log_in(client, "coordination", PASSWORD)
    assert response.status_code == 429
    page = response.content.decode()
    assert "Trop de tentatives de connexion" in page
    assert "Réessayez" in page and "minutes" in page
    assert "_auth_user_id" not in client.session


def test_a_few_failures_do_not_lock_out(client, settings, staff):
    fail(client, "coordination", settings.AXES_FAILURE_LIMIT - 1)
    assert is_logged_in(log_in(client, "coordination", PASSWORD))


def test_lockout_is_per_account_and_per_address(client, settings, staff):
    other = UserFactory(username="tresorerie", is_staff=True)
    fail(client, "coordination", settings.AXES_FAILURE_LIMIT)
    # The account is locked from any address (guessing spread over many machines)…
    assert log_in(client, "coordination", PASSWORD, address="192.0.2.10").status_code == 429
    # …and the address for any account (one machine trying many names)…
    assert log_in(client, other.username, PASSWORD).status_code == 429
    # …but another account from another address logs in.
    assert is_logged_in(log_in(client, other.username, PASSWORD, address="192.0.2.10"))


def test_logging_in_with_ones_own_account_does_not_wipe_the_failures_against_another(
    client, settings, staff
):
    # Someone with an account of their own (a lead's) guesses at « coordination » and logs in
    # as themselves between rounds: the failures against « coordination » still count.
    lead = UserFactory(username="chef-de-file", is_staff=True)
    for _ in range(3):
        fail(client, "coordination", settings.AXES_FAILURE_LIMIT - 1)
        log_in(client, lead.username, PASSWORD)
        client.logout()
    # Locked from any address, the right password included.
    assert log_in(client, "coordination", PASSWORD, address="192.0.2.10").status_code == 429


def test_logging_in_forgets_ones_own_failures(client, settings, staff):
    fail(client, "coordination", settings.AXES_FAILURE_LIMIT - 1)
    assert is_logged_in(log_in(client, "coordination", PASSWORD))
    client.logout()
    fail(client, "coordination", settings.AXES_FAILURE_LIMIT - 1)
    assert is_logged_in(log_in(client, "coordination", PASSWORD))


def test_the_superuser_unlocks_with_axes_reset(client, settings, staff):
    fail(client, "coordination", settings.AXES_FAILURE_LIMIT)
    assert log_in(client, "coordination", PASSWORD).status_code == 429
    call_command("axes_reset", verbosity=0)
    assert is_logged_in(log_in(client, "coordination", PASSWORD))


def test_the_address_is_the_one_the_trusted_proxy_saw(client, settings, staff):
    # Behind one proxy, the right-most X-Forwarded-For hop is the visitor; what the visitor
    # wrote before it does not matter, so forging the header does not escape the lockout.
    settings.TRUSTED_PROXY_COUNT = 1
    for forged in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("admin:login"),
            {"username": f"inconnu{forged}", "password": "mauvais"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{forged}, {ATTACKER}",
        )
    response = client.post(
        reverse("admin:login"),
        {"username": "coordination", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR=f"192.0.2.99, {ATTACKER}",
    )
    assert response.status_code == 429
    assert is_logged_in(
        client.post(
            reverse("admin:login"),
            {"username": "coordination", "password": PASSWORD, "next": reverse("admin:index")},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR="192.0.2.10",
        )
    )


@pytest.fixture
def admin_at(settings):
    """Reloads the URLs with ADMIN_URL set, and back after the test."""

    def move(prefix):
        settings.ADMIN_URL = prefix
        clear_url_caches()
        import importlib

        import ptce.urls

        importlib.reload(ptce.urls)

    yield move
    move("admin/")


def test_the_admin_path_is_configurable(client, admin_at):
    admin_at("gestion-7f3a/")
    assert reverse("admin:index") == "/gestion-7f3a/"
    assert client.get("/gestion-7f3a/login/").status_code == 200
    assert client.get("/admin/login/").status_code == 404


@pytest.mark.parametrize("path", ["/robots.txt", "/", "/a-propos/", "/agenda/", "/adherer/"])
def test_the_public_site_never_names_the_admin_path(client, admin_at, path):
    # A moved back-office is only worth it if nothing public points at it.
    admin_at("gestion-7f3a/")

    response = client.get(path)

    assert response.status_code == 200
    assert "gestion-7f3a" not in response.content.decode()


@pytest.fixture
def device(staff):
    return TOTPDevice.objects.create(user=staff, name="téléphone", confirmed=True)


def test_with_2fa_required_a_password_alone_is_refused(client, settings, device):
    settings.ADMIN_REQUIRE_2FA = True
    response = log_in(client, "coordination", PASSWORD, address="192.0.2.1", otp_token="000000")
    assert not is_logged_in(response)
    assert client.get(reverse("admin:index")).status_code == 302  # back to the login page


def test_with_2fa_required_the_device_code_logs_in(client, settings, device):
    settings.ADMIN_REQUIRE_2FA = True
    page = client.get(reverse("admin:login")).content.decode()
    assert 'name="otp_token"' in page
    token = f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"
    response = log_in(
        client, "coordination", PASSWORD, otp_device=device.persistent_id, otp_token=token
    )
    assert is_logged_in(response)
    assert client.get(reverse("admin:index")).status_code == 200


def test_without_2fa_required_the_login_asks_no_code(client, staff):
    assert 'name="otp_token"' not in client.get(reverse("admin:login")).content.decode()
    assert is_logged_in(log_in(client, "coordination", PASSWORD))
    assert admin.site.has_permission  # the default site, not a second one
