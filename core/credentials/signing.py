"""Issuer keys and VC-JWT signatures: Ed25519 keys kept encrypted at rest, published as JWKs, and
compact JWS (alg EdDSA) over a credential, as Open Badges 3.0 secures credentials with JOSE."""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from typing import Any

import jwt
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

# The media type of a credential secured with JOSE (VC-JOSE-COSE).
VC_JWT_TYPE = "vc+jwt"


@dataclass(frozen=True)
class NewKey:
    """A key as stored: its thumbprint id, public JWK, and the private key sealed."""

    kid: str
    public_jwk: dict[str, str]
    sealed_private_key: str


def _sealer(secret: str) -> Fernet:
    """A Fernet key derived from the deployment's secret: a database dump alone cannot sign."""
    derived = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"pacesetter issuer keys"
    ).derive(secret.encode())
    return Fernet(base64.urlsafe_b64encode(derived))


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def thumbprint(public_jwk: dict[str, str]) -> str:
    """RFC 7638: SHA-256 of the required members in lexicographic order, without spaces."""
    required = {name: public_jwk[name] for name in ("crv", "kty", "x")}
    canonical = json.dumps(required, separators=(",", ":"), sort_keys=True)
    return _b64url(hashlib.sha256(canonical.encode()).digest())


def new_key(secret: str) -> NewKey:
    private = Ed25519PrivateKey.generate()
    raw_public = private.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    public_jwk = {"kty": "OKP", "crv": "Ed25519", "x": _b64url(raw_public)}
    kid = thumbprint(public_jwk)
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    sealed = _sealer(secret).encrypt(pem).decode()
    return NewKey(kid, {**public_jwk, "kid": kid, "alg": "EdDSA", "use": "sig"}, sealed)


def opens(key: NewKey, secret: str) -> bool:
    """Whether the key was sealed under this secret (not under one the deployment had
    before)."""
    try:
        _sealer(secret).decrypt(key.sealed_private_key.encode())
    except InvalidToken:
        return False
    return True


def sign(claims: dict[str, Any], key: NewKey, secret: str, *, key_set_url: str) -> str:
    """A compact JWS over the claims with the key; the header names the key and where its
    set is published."""
    pem = _sealer(secret).decrypt(key.sealed_private_key.encode())
    private = serialization.load_pem_private_key(pem, password=None)
    headers = {"kid": key.kid, "typ": VC_JWT_TYPE, "jku": key_set_url}
    return jwt.encode(claims, private, algorithm="EdDSA", headers=headers)  # type: ignore[arg-type]
