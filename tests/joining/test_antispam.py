"""The join form's rate limit counts the visitor's address, as far as it can be trusted."""

import pytest

from association.http import client_address
from joining.models import JoinRequest

JOIN_URL = "/adherer/"


def test_the_client_address_is_not_stored(client, site_identity, join_data):
    client.post(JOIN_URL, join_data(), REMOTE_ADDR="203.0.113.42")

    join_request = JoinRequest.objects.get()
    stored = " ".join(str(value) for value in join_request.__dict__.values())
    assert "203.0.113.42" not in stored


def test_without_a_proxy_forwarded_headers_are_ignored(client, site_identity, join_data, settings):
    settings.JOIN_RATE_LIMIT = 1
    settings.TRUSTED_PROXY_COUNT = 0

    assert (
        client.post(JOIN_URL, join_data(), HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 302
    )
    # A new forged address each time does not buy a new allowance.
    assert (
        client.post(JOIN_URL, join_data(), HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 429
    )


def test_behind_one_proxy_the_address_it_added_is_counted(
    client, site_identity, join_data, settings
):
    settings.JOIN_RATE_LIMIT = 1
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.5"}

    first = client.post(JOIN_URL, join_data(), HTTP_X_FORWARDED_FOR="198.51.100.1", **proxy)
    other = client.post(JOIN_URL, join_data(), HTTP_X_FORWARDED_FOR="198.51.100.2", **proxy)
    # The visitor forges left-most hops; the proxy appends the address it saw, right-most.
    spoofed = client.post(
        JOIN_URL, join_data(), HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.2", **proxy
    )

    assert (first.status_code, other.status_code, spoofed.status_code) == (302, 302, 429)


@pytest.mark.parametrize(
    ("proxies", "forwarded", "counted"),
    [
        (0, "198.51.100.1", "192.0.2.10"),
        (1, "203.0.113.9, 198.51.100.1", "198.51.100.1"),
        (1, "203.0.113.9,198.51.100.1 ", "198.51.100.1"),
        (2, "203.0.113.9, 198.51.100.1, 10.0.0.4", "198.51.100.1"),
        (1, "2001:db8::1", "2001:db8::1"),
        (2, "198.51.100.1", "192.0.2.10"),  # fewer hops than proxies
        (1, "", "192.0.2.10"),
        (1, "unknown", "192.0.2.10"),
        (1, "198.51.100.1, <script>", "192.0.2.10"),
        (1, "198.51.100.1:4711", "192.0.2.10"),
    ],
)
def test_the_counted_address_is_the_one_the_trusted_proxies_saw(
    rf, settings, proxies, forwarded, counted
):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = rf.post(JOIN_URL, REMOTE_ADDR="192.0.2.10", HTTP_X_FORWARDED_FOR=forwarded)

    assert client_address(request) == counted


def test_an_ipv6_client_cannot_rotate_through_its_network(
    client, site_identity, join_data, settings
):
    """A line, a household or a server has a whole /64 (2^64 addresses): it is one client."""
    settings.JOIN_RATE_LIMIT = 1
    settings.TRUSTED_PROXY_COUNT = 0

    first = client.post(JOIN_URL, join_data(), REMOTE_ADDR="2001:db8:1:2::1")
    same_network = client.post(JOIN_URL, join_data(), REMOTE_ADDR="2001:db8:1:2::beef")
    other_network = client.post(JOIN_URL, join_data(), REMOTE_ADDR="2001:db8:1:3::1")

    assert (first.status_code, same_network.status_code, other_network.status_code) == (
        302,
        429,
        302,
    )
