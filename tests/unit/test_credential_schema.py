"""The Open Badges 3.0 schema of the tests (tests/data/open_badges) against the credentials
Pacesetter builds: one as built is valid, and each way of breaking the data model's rules is
caught where it is broken (so that a valid answer means something)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from domain.credentials import (
    AchievementFacts,
    Issuer,
    Recipient,
    StatusEntry,
    open_badge_credential,
)
from tests.support.open_badges import problems

BASE = "https://spm.example/issuers/7"


def built() -> dict[str, Any]:
    return open_badge_credential(
        credential_id="urn:uuid:00000000-0000-4000-8000-000000000001",
        issuer=Issuer(BASE, "Northwind"),
        facts=AchievementFacts(
            id=f"{BASE}/achievements/TARGET_HIT/1",
            name="Target hit",
            description="",
            criteria="Reach 100% of the target of a goal.",
            image=f"{BASE}/achievements/TARGET_HIT/1/image.svg",
        ),
        recipient=Recipient("ava@northwind.example", "pepper"),
        awarded_at=datetime(2026, 11, 20, 15, 0, tzinfo=UTC),
        issued_at=datetime(2026, 11, 21, 9, 30, tzinfo=UTC),
        narrative="Reached 108.87% of the target of a revenue goal.",
        status=StatusEntry(f"{BASE}/status/1", 42),
    )


def test_a_credential_as_built_is_an_open_badge_credential() -> None:
    assert problems(built()) == []
    assert problems(built()["credentialSubject"]["achievement"], "Achievement") == []


# Where a change removes the property rather than setting it.
DELETE = object()


def _set(path: str, value: object) -> Callable[[dict[str, Any]], None]:
    *parents, last = path.split("/")

    def change(document: dict[str, Any]) -> None:
        for key in parents:
            document = document[int(key) if key.isdigit() else key]
        if value is DELETE:
            del document[last]
        else:
            document[last] = value

    return change


BROKEN = {
    "the contexts the wrong way round": (
        _set("@context", list(reversed(built()["@context"]))),
        "@context/0",
    ),
    "no OpenBadgeCredential type": (_set("type", ["VerifiableCredential"]), "type"),
    "a data model 1.1 credential without its issuanceDate": (
        _set("issuanceDate", DELETE),
        "(root)",
    ),
    "an issuance date without its offset": (
        _set("issuanceDate", "2026-11-21T09:30:00"),
        "issuanceDate",
    ),
    "an issuer that is not a URI": (_set("issuer/id", "Northwind"), "issuer/id"),
    "an achievement without criteria": (
        _set("credentialSubject/achievement/criteria", DELETE),
        "credentialSubject/achievement",
    ),
    "criteria with neither a page nor words": (
        _set("credentialSubject/achievement/criteria", {}),
        "credentialSubject/achievement/criteria",
    ),
    "a subject naming no recipient": (
        _set("credentialSubject/identifier", DELETE),
        "credentialSubject",
    ),
    "a hashed identity that is no sha256 digest": (
        _set("credentialSubject/identifier/0/identityHash", "ava@northwind.example"),
        "credentialSubject/identifier/0/identityHash",
    ),
    "an identity type the specification does not name": (
        _set("credentialSubject/identifier/0/identityType", "email"),
        "credentialSubject/identifier/0/identityType",
    ),
    "evidence that is not typed Evidence": (_set("evidence/0/type", ["Proof"]), "evidence/0/type"),
    "a status entry without its id": (_set("credentialStatus/id", DELETE), "credentialStatus"),
}


@pytest.mark.parametrize(("change", "where"), list(BROKEN.values()), ids=list(BROKEN))
def test_each_broken_rule_is_caught_where_it_is_broken(
    change: Callable[[dict[str, Any]], None], where: str
) -> None:
    document = copy.deepcopy(built())
    change(document)

    found = problems(document)

    assert found, "the schema let it pass"
    assert any(line.startswith(f"{where}: ") for line in found), found
