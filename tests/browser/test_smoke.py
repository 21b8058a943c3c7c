import pytest


@pytest.mark.django_db(transaction=True)
def test_admin_login_page_is_accessible(live_server, page):
    from tests.browser.conftest import assert_accessible

    page.goto(f"{live_server.url}/admin/login/")
    assert_accessible(page)
