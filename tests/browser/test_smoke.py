import pytest
from django.urls import reverse


@pytest.mark.django_db(transaction=True)
def test_admin_login_page_is_accessible(live_server, page):
    from tests.browser.conftest import assert_accessible

    page.goto(live_server.url + reverse("admin:login"))
    assert_accessible(page)
