import os
import subprocess
import sys

import pytest
from django.conf import settings

HTTPS_HEADER = "('HTTP_X_FORWARDED_PROTO', 'https')"


def test_refuses_to_start_without_secret_key_when_debug_is_off(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={"DJANGO_SETTINGS_MODULE": "ptce.settings", "DEBUG": "off", "PATH": ""},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY is required when DEBUG is off" in result.stderr


def test_deploy_check_is_clean_with_production_settings():
    env = {
        "DJANGO_SETTINGS_MODULE": "ptce.settings",
        "DEBUG": "off",
        "SECRET_KEY": "a-long-random-production-secret-key-for-the-deploy-check-1234567890",
        "ALLOWED_HOSTS": "portail.example.org",
        "EMAIL_URL": "smtp://relais.example.org:25",
        "SITE_URL": "https://portail.example.org",
        "PATH": "",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr + result.stdout


def test_debug_is_off_when_the_environment_does_not_say():
    # A careless deploy (no DEBUG variable) must not show debug pages to visitors.
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.DEBUG)",
        ],
        env={
            "DJANGO_SETTINGS_MODULE": "ptce.settings",
            "SECRET_KEY": "a-long-random-production-secret-key-for-this-test-1234567890",
            "ENV_FILE": os.devnull,  # the defaults, not a developer's .env
            "PATH": "",
        },
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize(("proxies", "expected"), [("0", "None"), ("1", HTTPS_HEADER)])
def test_x_forwarded_proto_is_trusted_only_behind_a_trusted_proxy(proxies, expected):
    # Without a proxy the header is the visitor's to write: « https » would pass a plain HTTP
    # request for a secure one (no redirect, secure cookies sent over HTTP).
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.SECURE_PROXY_SSL_HEADER)",
        ],
        env={
            "DJANGO_SETTINGS_MODULE": "ptce.settings",
            "DEBUG": "off",
            "SECRET_KEY": "a-long-random-production-secret-key-for-this-test-1234567890",
            "TRUSTED_PROXY_COUNT": proxies,
            "ENV_FILE": os.devnull,
            "PATH": "",
        },
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected
