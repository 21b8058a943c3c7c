"""The demo never mails a real person."""

import pytest
from django.core.management import CommandError, call_command

from association.models import SiteIdentity
from tests.conftest import use_smtp


def test_join_requests_of_the_demo_are_announced_to_the_operator_s_address(db, settings):
    settings.DEMO_NOTIFICATION_EMAIL = "moi@mon-asso.example"
    call_command("load_newsletter", verbosity=0, stdout=None)
    assert SiteIdentity.objects.get().notification_email == "moi@mon-asso.example"


def test_with_a_real_mail_server_the_demo_asks_for_an_explicit_flag(db, settings):
    use_smtp(settings, 2525)
    with pytest.raises(CommandError, match="--real-mail"):
        call_command("load_newsletter")
    assert not SiteIdentity.objects.exists()
    call_command("load_newsletter", real_mail=True)
    assert SiteIdentity.objects.get().notification_email == "coordination@example.org"
