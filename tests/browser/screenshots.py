"""Screenshots of the portal for the README, made by `make screenshots`.

Not a test file (its name does not start with `test_`): the normal run leaves it alone, and
`make screenshots` names it. The content is the newsletter's, the clock is stopped on
1 September 2025 at 10 h (the newsletter's meetings are then all to come), the browser and its
fonts are the system's: run again, the pictures come out the same.
"""

import datetime
import io
import zoneinfo
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from PIL import Image

from groups.models import WorkingGroup
from tests.browser.conftest import DESKTOP, PHONE, session_cookie

pytestmark = pytest.mark.django_db(transaction=True)

OUTPUT = Path(settings.BASE_DIR) / "docs" / "screenshots"
# The portal's own address, shown where a page prints one (the calendar feeds), rather than the
# test server's, whose port changes at every run.
PUBLIC_HOST = "ptce-hc.fr"
FROZEN_AT = datetime.datetime(2025, 9, 1, 10, tzinfo=zoneinfo.ZoneInfo("Europe/Paris"))
WIDTHS = {"desktop": DESKTOP, "phone": PHONE}

PAGES = {
    "home": lambda: reverse("site:home"),
    "group": lambda: WorkingGroup.objects.get(slug="developpement-social").get_absolute_url(),
    "agenda": lambda: reverse("site:agenda"),
    "event": lambda: reverse("events:event_detail", kwargs={"slug": "premier-seminaire-2025"}),
    "join": lambda: reverse("joining:join"),
    # The yearly report of the last whole year, and the network drawn (issue 22).
    "report": lambda: reverse("report:report_year", args=[FROZEN_AT.year - 1]),
    "network": lambda: reverse("report:network"),
}


@pytest.fixture(autouse=True)
def _stopped_clock():
    # tick=False: not a second passes, so nothing that shows the time can change.
    with time_machine.travel(FROZEN_AT, tick=False):
        yield


@pytest.fixture(autouse=True)
def _seen_at_the_public_address(context, settings):
    """The browser talks to the test server as a reverse proxy would, naming the public host."""
    settings.USE_X_FORWARDED_HOST = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, PUBLIC_HOST]
    context.set_extra_http_headers({"X-Forwarded-Host": PUBLIC_HOST, "X-Forwarded-Proto": "https"})


@pytest.fixture
def coordinator_cookie(coordinator, live_server):
    """The coordinator's session, given to the browser as a cookie. Logging in through the form
    would not do here: its cookies would expire in 2025, and the browser lives in today."""
    return session_cookie(coordinator, live_server)


def shoot(page, name: str) -> None:
    """The whole page at each width, as a 256-colour PNG: a third of the size, and the colours
    of flat text and rules survive (median cut keeps the exact page background)."""
    OUTPUT.mkdir(parents=True, exist_ok=True)
    for width_name, viewport in WIDTHS.items():
        page.set_viewport_size(viewport)
        page.evaluate("document.fonts.ready")
        png = page.screenshot(full_page=True, animations="disabled", caret="hide")
        image = Image.open(io.BytesIO(png)).convert("RGB")
        image.quantize(256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
            OUTPUT / f"{name}-{width_name}.png", optimize=True
        )


@pytest.mark.parametrize("name", PAGES)
def test_public_page(live_server, page, newsletter, name):
    page.goto(live_server.url + PAGES[name]())
    shoot(page, name)


@pytest.mark.ignore_template_errors  # the admin's templates rely on silent variables
def test_admin(live_server, context, newsletter, coordinator_cookie):
    context.add_cookies([coordinator_cookie])
    page = context.new_page()
    # The dashboard: the meeting list has more columns than 1280 px show beside its filters.
    url = live_server.url + reverse("admin:index")
    page.goto(url)
    assert page.url == url  # not sent to the login page
    shoot(page, "admin")
