"""Open Badges 3.0 in words and bits: criteria from badge rules, evidence without amounts unless
allowed, and the Bitstring Status List's encoding, read back by hand."""

from __future__ import annotations

import base64
import gzip
import hashlib
from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from domain.credentials import (
    AchievementFacts,
    Issuer,
    Recipient,
    RuleFacts,
    StatusEntry,
    criteria,
    evidence,
    jwt_claims,
    open_badge_credential,
    status_list,
)

ATTAINED = {
    "rule": {"code": "TARGET_HIT", "version": 1, "threshold": "100.00"},
    "figures": {
        "metric": "REVENUE",
        "target": "51050.00",
        "needed": "51050.00",
        "currentValue": "55580.00",
        "attainment": "108.87",
    },
    "deals": ["hs-1001", "hs-1002"],
}


def test_criteria_say_what_each_kind_of_rule_asks() -> None:
    assert criteria(RuleFacts("ATTAINMENT", Decimal("100.00"), "REVENUE")) == (
        "Reach 100% of the target of a revenue goal."
    )
    assert criteria(RuleFacts("DEALS_WON_IN_MONTH", Decimal("10.00"))) == (
        "Win 10 deals in one calendar month."
    )
    assert criteria(
        RuleFacts("STREAK_DAILY", Decimal("5"), "DEALS_WON", daily_minimum=Decimal("1.00"))
    ) == ("Reach 1 of deals won a day on 5 working days in a row.")
    assert criteria(RuleFacts("CERTIFICATION", Decimal("1"), course_code="NEG-101")) == (
        "Earn the certification of the NEG-101 course."
    )
    assert criteria(RuleFacts("ATTAINMENT", Decimal("62.5"), "WIN_RATE")) == (
        "Reach 62.5% of the target of a win rate goal."
    )
    # A rule of any metric.
    assert criteria(RuleFacts("ATTAINMENT", Decimal("100"))) == (
        "Reach 100% of the target of a goal."
    )


def test_evidence_leaves_out_amounts_and_deal_ids_unless_allowed() -> None:
    private = evidence(ATTAINED, show_amounts=False)
    public = evidence(ATTAINED, show_amounts=True)

    assert private == "Reached 108.87% of the target of a revenue goal."
    assert public == (
        "Reached 108.87% of the target of a revenue goal; 55580.00 against a target of 51050.00."
    )
    assert "hs-1001" not in public


@pytest.mark.parametrize("revoked", [[], [0], [7, 8], [131_071], [3, 100, 65_536]])
def test_the_status_list_sets_the_bit_of_each_revoked_index(revoked: list[int]) -> None:
    encoded = status_list(revoked)

    assert encoded[0] == "u"
    text = encoded[1:]
    raw = gzip.decompress(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
    assert len(raw) * 8 == 131_072
    # Index i is bit i counted from the left of the whole string.
    bits = "".join(f"{byte:08b}" for byte in raw)
    assert [i for i, bit in enumerate(bits) if bit == "1"] == sorted(revoked)


def test_an_index_outside_the_list_is_refused() -> None:
    with pytest.raises(ValueError, match="outside a list of 131072"):
        status_list([131_072])


def test_an_award_becomes_an_open_badge_credential_naming_no_one_in_clear() -> None:
    issuer = Issuer("https://spm.example/issuers/7", "Northwind")
    facts = AchievementFacts(
        id="https://spm.example/issuers/7/achievements/TARGET_HIT/1",
        name="Target hit",
        description="",
        criteria="Reach 100% of the target of a revenue goal.",
        image="https://spm.example/issuers/7/achievements/TARGET_HIT/1/image.svg",
    )
    credential = open_badge_credential(
        credential_id="urn:uuid:00000000-0000-4000-8000-000000000001",
        issuer=issuer,
        facts=facts,
        recipient=Recipient("Ava@Northwind.example ", "pepper"),
        awarded_at=datetime(2026, 11, 20, 10, 0, tzinfo=ZoneInfo("America/New_York")),
        issued_at=datetime(2026, 11, 21, 9, 30, tzinfo=UTC),
        narrative="Reached 108.87% of the target of a revenue goal.",
        status=StatusEntry("https://spm.example/issuers/7/status/1", 42),
    )
    # sha256 of the lower-cased, trimmed address followed by the salt.
    digest = hashlib.sha256(b"ava@northwind.examplepepper").hexdigest()
    issuer_profile = {"id": issuer.id, "type": ["Profile"], "name": "Northwind"}

    assert credential == {
        "@context": [
            "https://www.w3.org/2018/credentials/v1",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json",
        ],
        "id": "urn:uuid:00000000-0000-4000-8000-000000000001",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": "Target hit",
        "issuer": issuer_profile,
        "issuanceDate": "2026-11-21T09:30:00Z",
        "awardedDate": "2026-11-20T15:00:00Z",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityHash": f"sha256${digest}",
                    "identityType": "emailAddress",
                    "hashed": True,
                    "salt": "pepper",
                }
            ],
            "achievement": {
                "id": facts.id,
                "type": ["Achievement"],
                "name": "Target hit",
                "description": "Reach 100% of the target of a revenue goal.",
                "criteria": {"narrative": "Reach 100% of the target of a revenue goal."},
                "image": {"id": facts.image, "type": "Image"},
                "creator": issuer_profile,
            },
        },
        "evidence": [
            {"type": ["Evidence"], "narrative": "Reached 108.87% of the target of a revenue goal."}
        ],
        "credentialStatus": {
            "id": "https://spm.example/issuers/7/status/1#42",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": "42",
            "statusListCredential": "https://spm.example/issuers/7/status/1",
        },
        "credentialSchema": [
            {
                "id": "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/"
                "ob_v3p0_achievementcredential_schema.json",
                "type": "1EdTechJsonSchemaValidator2019",
            }
        ],
    }
    # 20,778 days from 1970-01-01 to 2026-11-21 (56 years with 14 leap days, then 324 days),
    # and 9.5 hours: 20,778 × 86,400 + 34,200.
    assert jwt_claims(credential, datetime(2026, 11, 21, 9, 30, tzinfo=UTC)) == {
        "vc": credential,
        "iss": issuer.id,
        "jti": credential["id"],
        "nbf": 1_795_253_400,
        "iat": 1_795_253_400,
    }
