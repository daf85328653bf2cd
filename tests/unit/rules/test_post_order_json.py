"""The Post Order JSON request: form field, headers and signature (no network, no database)."""

from __future__ import annotations

import hashlib
import hmac
import urllib.parse

from orderhub.rules.post_order_json import TIMEOUT_SECONDS, PostOrderJson, build_request, signature


def test_body_is_the_order_form_field_and_headers_name_the_store():
    order_json = '{"id": "12", "email": "a+b@example.com & co"}'
    body, headers = build_request(7, order_json, "secret-key")
    assert urllib.parse.parse_qs(body.decode()) == {"order": [order_json]}
    assert headers["X-ORDER-DESK-STORE-ID"] == "7"
    assert headers["Content-Type"] == "application/x-www-form-urlencoded"
    expected = hmac.new(b"secret-key", order_json.encode(), hashlib.sha256).hexdigest()
    assert headers["X-ORDER-DESK-HASH"] == expected == signature(order_json, "secret-key")


def test_no_api_key_no_hash():
    _, headers = build_request(7, "{}", None)
    assert "X-ORDER-DESK-HASH" not in headers


def test_retry_policy_is_five_retries_over_two_hours_with_a_30_second_timeout():
    action = PostOrderJson()
    assert action.remote and action.max_attempts == 6
    assert sum(d.total_seconds() for d in action.retry_delays) == 2 * 3600
    assert TIMEOUT_SECONDS == 30
