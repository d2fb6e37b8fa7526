"""The client's address: X-Forwarded-For only counts as far as trusted proxies vouch for it."""

from django.test import RequestFactory

from hoiccb.lib.http import client_ip


def _request(remote: str, forwarded: str | None = None):
    request = RequestFactory().get("/")
    request.META["REMOTE_ADDR"] = remote
    if forwarded is not None:
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded
    return request


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = []
    assert client_ip(_request("203.0.113.7", "198.51.100.1")) == "203.0.113.7"


def test_behind_a_trusted_proxy_the_forwarded_client_counts(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    assert client_ip(_request("127.0.0.1", "198.51.100.1")) == "198.51.100.1"
    # What the client wrote itself (left of what the proxy appended) is ignored.
    assert client_ip(_request("127.0.0.1", "1.1.1.1, 198.51.100.1")) == "198.51.100.1"
    # A request that did not come through the proxy is taken at its own address.
    assert client_ip(_request("203.0.113.7", "198.51.100.1")) == "203.0.113.7"


def test_a_chain_of_trusted_proxies_is_walked_from_the_right(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "::1"]
    assert client_ip(_request("10.0.0.2", "8.8.8.8, 203.0.113.9, 10.0.0.5")) == "203.0.113.9"
    assert client_ip(_request("::1", "2001:db8::1")) == "2001:db8::1"
    # Every hop trusted: the leftmost is the best we know.
    assert client_ip(_request("10.0.0.2", "10.1.1.1")) == "10.1.1.1"
    # Garbage in the header stops the walk at the last address a proxy vouched for.
    assert client_ip(_request("10.0.0.2", "<script>, 10.0.0.5")) == "10.0.0.5"
    assert client_ip(_request("10.0.0.2", "")) == "10.0.0.2"


def test_a_missing_or_malformed_remote_address_is_none(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    assert client_ip(_request("")) is None
    assert client_ip(_request("not-an-ip", "198.51.100.1")) is None
