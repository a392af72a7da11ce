"""Issuer keys and VC-JWT signatures, checked by the tests' own JWS check (tests/support/jws.py)."""

from __future__ import annotations

import base64
import hashlib

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.fernet import InvalidToken

from core.credentials.signing import new_key, sign, thumbprint
from tests.support.jws import verify

SECRET = "a-deployment-secret-of-some-length"


def test_a_signature_verifies_with_the_published_key_alone() -> None:
    key = new_key(SECRET)
    token = sign({"vc": {"name": "Target hit"}}, key, SECRET, key_set_url="https://x/jwks.json")

    checked = verify(token, key.public_jwk)

    assert checked["claims"] == {"vc": {"name": "Target hit"}}
    assert checked["header"] == {
        "alg": "EdDSA",
        "kid": key.kid,
        "typ": "vc+jwt",
        "jku": "https://x/jwks.json",
    }


def test_a_changed_claim_or_another_key_fails_the_check() -> None:
    key, other = new_key(SECRET), new_key(SECRET)
    token = sign({"vc": {"name": "Target hit"}}, key, SECRET, key_set_url="https://x/jwks.json")
    header, _, signature = token.split(".")
    forged = base64.urlsafe_b64encode(b'{"vc":{"name":"Top seller"}}').rstrip(b"=").decode()

    with pytest.raises(InvalidSignature):
        verify(f"{header}.{forged}.{signature}", key.public_jwk)
    with pytest.raises(InvalidSignature):
        verify(token, other.public_jwk)


def test_the_key_id_is_the_rfc_7638_thumbprint_and_the_private_key_is_sealed() -> None:
    key = new_key(SECRET)
    members = f'{{"crv":"Ed25519","kty":"OKP","x":"{key.public_jwk["x"]}"}}'
    expected = base64.urlsafe_b64encode(hashlib.sha256(members.encode()).digest()).rstrip(b"=")

    assert key.kid == thumbprint(key.public_jwk) == expected.decode()
    assert "PRIVATE KEY" not in key.sealed_private_key
    with pytest.raises(InvalidToken):
        sign({}, key, "another-secret-entirely", key_set_url="https://x")
