"""A compact JWS check (RFC 7515, EdDSA per RFC 8037) written here, independent of the
library that signs: the signing input split and decoded by hand, the signature verified with
the JWK's raw public key."""

from __future__ import annotations

import base64
import json
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def verify(token: str, jwk: dict[str, str]) -> dict[str, Any]:
    """The header and claims of `token` once its signature checks out with `jwk`; raises
    cryptography's InvalidSignature otherwise."""
    header_part, payload_part, signature_part = token.split(".")
    header = json.loads(unb64(header_part))
    assert header["alg"] == "EdDSA"
    assert (jwk["kty"], jwk["crv"]) == ("OKP", "Ed25519")
    public = Ed25519PublicKey.from_public_bytes(unb64(jwk["x"]))
    public.verify(unb64(signature_part), f"{header_part}.{payload_part}".encode())
    return {"header": header, "claims": json.loads(unb64(payload_part))}


def verify_with_set(token: str, key_set: dict[str, Any]) -> dict[str, Any]:
    """As `verify`, with the key the token's header names picked from a published JWKS."""
    kid = json.loads(unb64(token.split(".")[0]))["kid"]
    (jwk,) = [key for key in key_set["keys"] if key["kid"] == kid]
    return verify(token, jwk)
