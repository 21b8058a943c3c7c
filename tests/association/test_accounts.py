"""The coordinator accounts: the demo one of `make run` and real ones."""

import re
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from association.models import User
from association.roles import COORDINATOR_GROUP

pytestmark = pytest.mark.django_db


def _printed_password(output: str) -> str:
    match = re.search(r"Mot de passe\u00a0: (\S+)", output)
    assert match, output
    return match.group(1)


def _run(*args, **options) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO(), **options)
    return out.getvalue()


def _login_request():
    # django-axes checks every login against its request (address, lockout).
    return RequestFactory().post("/")


def test_demo_coordinator_is_staff_in_the_group_and_not_superuser(settings):
    settings.DEBUG = True
    output = _run("create_demo_coordinator")

    user = User.objects.get(username="coordination")
    assert user.is_staff and user.is_active
    assert not user.is_superuser
    assert list(user.groups.values_list("name", flat=True)) == [COORDINATOR_GROUP]
    assert "http://127.0.0.1:8000/admin/" in output
    assert (
        authenticate(_login_request(), username="coordination", password=_printed_password(output))
        == user
    )


def test_demo_coordinator_rerun_resets_the_password_and_the_role(settings):
    settings.DEBUG = True
    first = _printed_password(_run("create_demo_coordinator"))
    User.objects.filter(username="coordination").update(is_superuser=True, is_staff=False)

    output = _run("create_demo_coordinator")
    second = _printed_password(output)

    assert User.objects.filter(username="coordination").count() == 1
    assert second != first
    assert authenticate(_login_request(), username="coordination", password=first) is None
    user = authenticate(_login_request(), username="coordination", password=second)
    assert user is not None and user.is_staff and not user.is_superuser
    assert "nouveau mot de passe" in output


def test_demo_coordinator_refuses_to_run_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="qu'en développement"):
        _run("create_demo_coordinator")
    assert not User.objects.filter(username="coordination").exists()


def test_createcoordinator_without_input_reads_the_password_from_the_environment(monkeypatch):
    monkeypatch.setenv("COORDINATOR_PASSWORD", "Une-phrase-de-passe-solide-2025")
    output = _run("createcoordinator", "--noinput", "--username=rmoglia", "--email=r@example.org")

    user = User.objects.get(username="rmoglia")
    assert user.is_staff and not user.is_superuser
    assert user.email == "r@example.org"
    assert user.groups.filter(name=COORDINATOR_GROUP).exists()
    assert user.check_password("Une-phrase-de-passe-solide-2025")
    assert "Compte de coordination « rmoglia » créé" in output


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("", "COORDINATOR_PASSWORD"),
        ("court", "trop court"),
        ("azertyuiop", "trop courant"),
        ("12345678901234", "entièrement numérique"),
    ],
)
def test_createcoordinator_refuses_a_missing_or_weak_password(monkeypatch, password, message):
    monkeypatch.setenv("COORDINATOR_PASSWORD", password)
    with pytest.raises(CommandError, match=message):
        _run("createcoordinator", "--noinput", "--username=rmoglia")
    assert not User.objects.filter(username="rmoglia").exists()


def test_createcoordinator_refuses_a_taken_username(monkeypatch, coordinator):
    monkeypatch.setenv("COORDINATOR_PASSWORD", "Une-phrase-de-passe-solide-2025")
    with pytest.raises(CommandError, match="existe déjà"):
        _run("createcoordinator", "--noinput", f"--username={coordinator.username}")


def test_createcoordinator_asks_again_until_the_answers_are_valid(monkeypatch, coordinator):
    # The terminal is the one thing a test cannot type into: the prompts are fed in order.
    answers = iter([coordinator.username, "pas-une-adresse", "sarah", "sarah@example.org"])
    passwords = iter(
        [
            "court",
            "court",
            "Une-phrase-de-passe",
            "Autre-chose-encore",
            *(["Une-phrase-de-passe-solide"] * 2),
        ]
    )
    monkeypatch.setattr("builtins.input", lambda prompt: next(answers))
    monkeypatch.setattr(
        "association.management.commands.createcoordinator.getpass", lambda prompt: next(passwords)
    )
    err = StringIO()
    out = StringIO()

    call_command("createcoordinator", stdout=out, stderr=err)

    user = User.objects.get(username="sarah")
    assert user.email == "sarah@example.org"
    assert user.check_password("Une-phrase-de-passe-solide")
    assert user.is_staff and not user.is_superuser
    errors = err.getvalue()
    assert "existe déjà" in errors
    assert "adresse de courriel valide" in errors
    assert "trop court" in errors
    assert "ne correspondent pas" in errors
