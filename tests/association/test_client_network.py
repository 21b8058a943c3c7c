"""Whom the public forms' limits count: a client's address, an IPv6 client's whole /64."""

import pytest

from association.http import client_network


@pytest.mark.parametrize(
    ("remote", "counted"),
    [
        ("192.0.2.7", "192.0.2.7"),
        ("2001:db8:1:2::1", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64"),
        ("::ffff:192.0.2.7", "192.0.2.7"),  # an IPv4 client seen through IPv6
        ("", ""),
        ("not an address", "not an address"),
    ],
)
def test_an_ipv6_client_is_counted_by_its_network(rf, settings, remote, counted):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_network(rf.get("/", REMOTE_ADDR=remote)) == counted


def test_behind_a_proxy_the_network_is_the_forwarded_addresss(rf, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    request = rf.get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="2001:db8:9:8:7::1")
    assert client_network(request) == "2001:db8:9:8::/64"
