"""Awards as Open Badges 3.0 credentials: a rep has one issued and a verifier checks it from its
JWT alone plus the published keys (with the tests' own JWS check); a rotated key leaves old
credentials verifiable; a withdrawn award's bit is set in the signed status list; issuing
can be turned off."""

from __future__ import annotations

import gzip
import hashlib
from datetime import datetime, timedelta
from typing import Any

import httpx

from core.audit.models import AuditEntry
from core.credentials import service
from core.credentials.models import IssuedCredential, IssuerKey
from gamification.models import Award, BadgeDefinition
from tests.conftest import Org
from tests.support.graphql import graphql
from tests.support.jws import unb64, verify_with_set
from tests.support.open_badges import problems

ISSUE = """mutation($award: ID!) { issueCredential(awardId: $award) {
  __typename
  ... on OpenBadgeCredential { id jwt credential issuerUrl keysUrl }
  ... on InputErrors { errors { field code message } } } }"""
ROTATE = "mutation { rotateIssuerKey { ... on IssuerKey { kid retiredAt } } }"
SETTINGS = """mutation($on: Boolean) { setCredentialIssuing(enabled: $on) {
  ... on Organisation { credentialsEnabled credentialsShowAmounts }
  ... on InputErrors { errors { code } } } }"""
MINE = "{ myAchievements { badges { id credential { id } } } }"


async def an_award(org: Org, now: datetime, key: str) -> Award:
    badge = await BadgeDefinition.get(organisation_id=org.organisation.id, code="TARGET_HIT")
    return await Award.create(
        organisation_id=org.organisation.id,
        badge_id=badge.id,
        rep_id=org.rep.id,
        period_key=key,
        awarded_at=now - timedelta(hours=3),
        explanation={
            "rule": {"code": "TARGET_HIT", "version": badge.version, "threshold": "100.00"},
            "figures": {
                "metric": "REVENUE",
                "target": "5000.00",
                "needed": "5000.00",
                "currentValue": "6250.00",
                "attainment": "125.00",
            },
            "deals": ["crm-77"],
        },
    )


async def issue(client: httpx.AsyncClient, org: Org, award: Award) -> dict[str, Any]:
    answer = await graphql(client, ISSUE, org.token(org.rep), award=str(award.id))
    return answer["data"]["issueCredential"]


def revoked_bits(token_claims: dict[str, Any]) -> list[int]:
    encoded = token_claims["vc"]["credentialSubject"]["encodedList"]
    assert encoded.startswith("u")
    raw = gzip.decompress(unb64(encoded[1:]))
    return [i for i in range(len(raw) * 8) if raw[i // 8] & (0x80 >> (i % 8))]


async def test_a_rep_has_an_award_issued_and_anyone_verifies_it_with_the_published_key(
    client: httpx.AsyncClient, org: Org, now: datetime
) -> None:
    award = await an_award(org, now, "goal:1")
    issued = await issue(client, org, award)
    again = await issue(client, org, award)
    keys = (await client.get(issued["keysUrl"].removeprefix("http://test"))).json()
    profile = (await client.get(issued["issuerUrl"].removeprefix("http://test"))).json()

    checked = verify_with_set(issued["jwt"], keys)
    vc = checked["claims"]["vc"]
    badge_url = vc["credentialSubject"]["achievement"]["id"]
    published = (await client.get(badge_url.removeprefix("http://test"))).json()
    identity = vc["credentialSubject"]["identifier"][0]
    hashed = hashlib.sha256((org.rep.email + identity["salt"]).encode()).hexdigest()
    base = f"http://test/issuers/{org.organisation.id}"

    assert issued["__typename"] == "OpenBadgeCredential"
    # What the token carries, the badge's and the issuer's pages: Open Badges 3.0 documents.
    assert problems(vc) == []
    assert problems(published, "Achievement") == []
    assert published == vc["credentialSubject"]["achievement"]
    assert problems(profile, "Profile") == []
    # Asked again, the same credential.
    assert again["jwt"] == issued["jwt"]
    assert vc == issued["credential"]
    assert checked["header"]["jku"] == f"{base}/jwks.json"
    assert checked["claims"]["iss"] == base
    assert checked["claims"]["jti"] == vc["id"] == issued["id"]
    assert vc["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert vc["issuer"] == {"id": base, "type": ["Profile"], "name": "Acme"}
    assert profile["id"] == base
    assert identity["identityHash"] == f"sha256${hashed}"
    assert vc["credentialSubject"]["achievement"]["criteria"] == {
        "narrative": "Reach 100% of the target of a goal."
    }
    # No amounts, no deal ids: the organisation has not allowed them.
    assert vc["evidence"] == [
        {"type": ["Evidence"], "narrative": "Reached 125.00% of the target of a revenue goal."}
    ]
    assert vc["credentialStatus"]["statusListCredential"] == f"{base}/status/1"
    assert vc["credentialStatus"]["statusListIndex"] == "0"


async def test_a_rotated_key_signs_anew_and_the_old_credentials_still_verify(
    client: httpx.AsyncClient, org: Org, now: datetime
) -> None:
    first = await issue(client, org, await an_award(org, now, "goal:1"))
    rotated = (await graphql(client, ROTATE, org.token()))["data"]["rotateIssuerKey"]
    second = await issue(client, org, await an_award(org, now, "goal:2"))
    keys = (await client.get(first["keysUrl"].removeprefix("http://test"))).json()

    old, new = verify_with_set(first["jwt"], keys), verify_with_set(second["jwt"], keys)

    trail = await graphql(
        client,
        """{ auditTrail(objectType: ORGANISATION) {
          edges { node { action objectId actor { email } before after } } } }""",
        org.token(),
    )

    assert len(keys["keys"]) == 2
    assert old["header"]["kid"] != new["header"]["kid"] == rotated["kid"]
    assert [edge["node"] for edge in trail["data"]["auditTrail"]["edges"]] == [
        {
            "action": "ISSUER_KEY_ROTATED",
            "objectId": str(org.organisation.id),
            "actor": {"email": org.admin.email},
            "before": {"signingKeys": [old["header"]["kid"]]},
            "after": {"signingKeys": [rotated["kid"]]},
        }
    ]
    assert rotated["retiredAt"] is None
    assert second["credential"]["credentialStatus"]["statusListIndex"] == "1"


async def test_a_new_deployment_secret_signs_with_a_new_key_and_old_credentials_verify(
    client: httpx.AsyncClient, org: Org, now: datetime
) -> None:
    """Issuer keys are sealed under JWT_SECRET; once it is changed the old key cannot sign,
    and the next credential is signed by a new one instead of failing."""
    first = await issue(client, org, await an_award(org, now, "goal:1"))
    later = await an_award(org, now, "goal:2")
    issued = await service.issue(
        later.id, org.rep.id, service.Urls("http://test"), "the deployment's next secret", now
    )
    assert isinstance(issued, IssuedCredential)
    keys = (await client.get(first["keysUrl"].removeprefix("http://test"))).json()

    old, new = verify_with_set(first["jwt"], keys), verify_with_set(issued.token, keys)

    assert old["header"]["kid"] != new["header"]["kid"]
    retired = await IssuerKey.get(kid=old["header"]["kid"])
    assert retired.retired_at == now
    assert await IssuerKey.filter(organisation_id=org.organisation.id, retired_at=None).count() == 1


async def test_a_withdrawn_award_is_revoked_in_the_signed_status_list(
    client: httpx.AsyncClient, org: Org, now: datetime
) -> None:
    kept = await issue(client, org, await an_award(org, now, "goal:1"))
    withdrawn_award = await an_award(org, now, "goal:2")
    withdrawn = await issue(client, org, withdrawn_award)
    status_url = withdrawn["credential"]["credentialStatus"]["statusListCredential"]
    keys = (await client.get(kept["keysUrl"].removeprefix("http://test"))).json()

    before = verify_with_set((await client.get(status_url.removeprefix("http://test"))).text, keys)
    withdrawn_award.revoked_at = now
    withdrawn_award.revocation = {"reason": "clawback"}
    await withdrawn_award.save()
    after_response = await client.get(status_url.removeprefix("http://test"))
    after = verify_with_set(after_response.text, keys)

    assert after_response.headers["content-type"] == "application/vc+jwt"
    assert revoked_bits(before["claims"]) == []
    assert revoked_bits(after["claims"]) == [1]
    assert withdrawn["credential"]["credentialStatus"]["statusListIndex"] == "1"
    # A withdrawn award is not issued anew.
    await IssuedCredential.filter(award_id=withdrawn_award.id).delete()
    refused = await issue(client, org, withdrawn_award)
    assert refused["errors"][0]["code"] == "CONFLICT"


async def test_only_the_rep_issues_and_sees_it_and_an_admin_can_turn_issuing_off(
    client: httpx.AsyncClient, org: Org, now: datetime
) -> None:
    award = await an_award(org, now, "goal:1")
    by_admin = (await graphql(client, ISSUE, org.token(), award=str(award.id)))["data"]
    issued = await issue(client, org, award)
    seen_by_rep = (await graphql(client, MINE, org.token(org.rep)))["data"]
    turned = (await graphql(client, SETTINGS, org.token(), on=False))["data"]
    off = await issue(client, org, await an_award(org, now, "goal:2"))
    # What was issued before still verifies: the issuer and its keys stay published.
    keys = (await client.get(f"/issuers/{org.organisation.id}/jwks.json")).json()
    still = verify_with_set(issued["jwt"], keys)["claims"]["jti"]
    as_rep = (await graphql(client, SETTINGS, org.token(org.rep), on=True))["data"]

    assert by_admin["issueCredential"]["errors"][0]["code"] == "NOT_FOUND"
    assert seen_by_rep["myAchievements"]["badges"] == [
        {"id": str(award.id), "credential": {"id": issued["id"]}}
    ]
    assert turned["setCredentialIssuing"] == {
        "credentialsEnabled": False,
        "credentialsShowAmounts": False,
    }
    [entry] = await AuditEntry.filter(organisation_id=org.organisation.id)
    assert (entry.action, entry.actor_id, entry.before, entry.after) == (
        "CREDENTIAL_ISSUING_SET",
        org.admin.id,
        {"credentialsEnabled": True, "credentialsShowAmounts": False},
        {"credentialsEnabled": False, "credentialsShowAmounts": False},
    )
    assert off["errors"][0]["code"] == "FORBIDDEN"
    assert still == issued["id"]
    assert as_rep["setCredentialIssuing"]["errors"][0]["code"] == "FORBIDDEN"


async def test_an_organisation_that_never_issued_publishes_no_issuer_while_issuing_is_off(
    client: httpx.AsyncClient, org: Org
) -> None:
    await graphql(client, SETTINGS, org.token(), on=False)

    answers = [
        (await client.get(f"/issuers/{org.organisation.id}{path}")).status_code
        for path in ("", "/jwks.json", "/status/1", "/achievements/TARGET_HIT/1")
    ]

    assert answers == [404, 404, 404, 404]
