"""The OAuth 2.0 JWT bearer assertion (RS256), checked against a connected app's public key."""

from __future__ import annotations

import base64
import json
import time

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa


class AssertionInvalid(ValueError):
    """Why an assertion is refused (the token endpoint answers `invalid_grant`)."""


def _b64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _public_key(pem: str) -> rsa.RSAPublicKey:
    data = pem.encode()
    if b"CERTIFICATE" in data:
        key = x509.load_pem_x509_certificate(data).public_key()
    else:
        key = serialization.load_pem_public_key(data)
    if not isinstance(key, rsa.RSAPublicKey):
        raise AssertionInvalid("the connected app's key is not an RSA key")
    return key


def unverified_claims(assertion: str) -> dict:
    """The payload, so the issuer (client id) can pick the key that verifies it."""
    try:
        return json.loads(_b64url(assertion.split(".")[1]))
    except (IndexError, ValueError) as exc:
        raise AssertionInvalid("invalid assertion") from exc


def verify(assertion: str, public_key_pem: str) -> dict:
    """The claims of an RS256-signed, unexpired assertion, or AssertionInvalid."""
    try:
        header_b64, payload_b64, signature_b64 = assertion.split(".")
        header = json.loads(_b64url(header_b64))
        claims = json.loads(_b64url(payload_b64))
        signature = _b64url(signature_b64)
    except ValueError as exc:
        raise AssertionInvalid("invalid assertion") from exc
    if header.get("alg") != "RS256":
        raise AssertionInvalid("invalid assertion algorithm")
    try:
        _public_key(public_key_pem).verify(
            signature, f"{header_b64}.{payload_b64}".encode(), padding.PKCS1v15(), hashes.SHA256()
        )
    except InvalidSignature as exc:
        raise AssertionInvalid("invalid assertion signature") from exc
    try:
        expires = float(claims.get("exp", 0))
    except (TypeError, ValueError) as exc:
        raise AssertionInvalid("invalid assertion expiry") from exc
    if expires < time.time():
        raise AssertionInvalid("expired authorization code")
    return claims
