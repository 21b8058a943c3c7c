"""The admin's home gathers what the apps add to it: the SCIC's statutory checks and the
yearly report's dashboard link (each app extends admin/index.html in turn)."""

import pytest
from django.urls import reverse


@pytest.mark.django_db
@pytest.mark.ignore_template_errors  # the admin's own templates rely on silent variables
def test_the_admin_home_shows_the_scic_checks_and_the_report_link(coordinator_client):
    html = coordinator_client.get(reverse("admin:index")).content.decode()
    assert 'id="report-dashboard-link"' in html
    assert "SCIC" in html
    assert " style=" not in html.split('id="report-dashboard-link"')[1].split("</div>")[0]
