"""Issuing awards as Open Badges 3.0 credentials: the organisation's signing key and its
rotation, a rep's award issued on their request, and what a verifier reads (the issuer's
profile, its keys, the status list of revocations)."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from core.audit import store as audit
from core.audit.models import ObjectType
from core.credentials.models import IssuedCredential, IssuerKey
from core.credentials.signing import NewKey, new_key, opens, sign
from core.orgs.models import Organisation
from domain import credentials as ob
from domain.errors import ErrorCode, FieldError
from gamification.models import Award, BadgeDefinition


@dataclass(frozen=True)
class Urls:
    """Where an organisation's issuer publishes what verifiers read (stable: credentials
    carry them)."""

    base: str

    def issuer(self, organisation_id: int) -> str:
        return f"{self.base}/issuers/{organisation_id}"

    def keys(self, organisation_id: int) -> str:
        return f"{self.issuer(organisation_id)}/jwks.json"

    def status_list(self, organisation_id: int) -> str:
        return f"{self.issuer(organisation_id)}/status/1"

    def achievement(self, badge: BadgeDefinition) -> str:
        return f"{self.issuer(badge.organisation_id)}/achievements/{badge.code}/{badge.version}"


def _as_new_key(key: IssuerKey) -> NewKey:
    return NewKey(key.kid, key.public_jwk, key.sealed_private_key)


async def signing_key(organisation_id: int, secret: str, now: datetime) -> IssuerKey:
    """The key that signs now: the newest not retired, made on first use. Made anew when
    the deployment's secret (JWT_SECRET) changed since: the old key cannot be opened any
    more, and is retired, still published, so that what it signed still verifies."""
    key = (
        await IssuerKey.filter(organisation_id=organisation_id, retired_at=None)
        .order_by("-id")
        .first()
    )
    if key is None:
        return await _keep(organisation_id, new_key(secret), now)
    if not opens(_as_new_key(key), secret):
        return await rotate_key(organisation_id, secret, None, now)
    return key


async def _keep(organisation_id: int, made: NewKey, created_at: datetime) -> IssuerKey:
    return await IssuerKey.create(
        organisation_id=organisation_id,
        kid=made.kid,
        public_jwk=made.public_jwk,
        sealed_private_key=made.sealed_private_key,
        created_at=created_at,
    )


async def rotate_key(
    organisation_id: int, secret: str, actor_id: int | None, now: datetime
) -> IssuerKey:
    """A new signing key; the old ones are retired but stay published. Audited (the
    actor is None when the deployment's secret changed)."""
    made = new_key(secret)
    async with in_transaction():
        retiring = IssuerKey.filter(organisation_id=organisation_id, retired_at=None)
        retired = sorted(await retiring.values_list("kid", flat=True))
        await retiring.update(retired_at=now)
        key = await _keep(organisation_id, made, now)
        await audit.record(
            organisation_id,
            actor_id,
            now,
            "ISSUER_KEY_ROTATED",
            ObjectType.ORGANISATION,
            organisation_id,
            {"signingKeys": retired},
            {"signingKeys": [key.kid]},
        )
        return key


async def set_issuing(
    organisation: Organisation,
    enabled: bool | None,
    show_amounts: bool | None,
    actor_id: int | None,
    now: datetime,
) -> Organisation:
    """Whether reps may have credentials issued, and whether their evidence may state
    amounts; what is None stays. Audited."""
    before = _issuing(organisation)
    if enabled is not None:
        organisation.credentials_enabled = enabled
    if show_amounts is not None:
        organisation.credentials_show_amounts = show_amounts
    async with in_transaction():
        await organisation.save(update_fields=["credentials_enabled", "credentials_show_amounts"])
        await audit.record(
            organisation.id,
            actor_id,
            now,
            "CREDENTIAL_ISSUING_SET",
            ObjectType.ORGANISATION,
            organisation.id,
            before,
            _issuing(organisation),
        )
    return organisation


def _issuing(organisation: Organisation) -> dict[str, object]:
    return {
        "credentialsEnabled": organisation.credentials_enabled,
        "credentialsShowAmounts": organisation.credentials_show_amounts,
    }


def _issuer(organisation: Organisation, urls: Urls) -> ob.Issuer:
    return ob.Issuer(urls.issuer(organisation.id), organisation.name)


def achievement_facts(badge: BadgeDefinition, urls: Urls) -> ob.AchievementFacts:
    rule = ob.RuleFacts(
        kind=str(badge.kind),
        threshold=badge.threshold,
        metric=str(badge.metric) if badge.metric else None,
        daily_minimum=badge.daily_minimum,
        course_code=badge.course_code,
    )
    url = urls.achievement(badge)
    return ob.AchievementFacts(
        id=url,
        name=badge.name,
        description=badge.description,
        criteria=ob.criteria(rule),
        image=f"{url}/image.svg",
    )


async def issue(
    award_id: int, rep_id: int, urls: Urls, secret: str, now: datetime
) -> IssuedCredential | FieldError:
    """The rep's award as a signed OpenBadgeCredential: issued once, the same one after."""
    award = await Award.get_or_none(id=award_id, rep_id=rep_id).prefetch_related(
        "badge", "rep", "organisation"
    )
    if award is None:
        return FieldError("awardId", ErrorCode.NOT_FOUND, "No award of yours has this id.")
    organisation: Organisation = award.organisation
    if not organisation.credentials_enabled:
        return FieldError(
            "awardId", ErrorCode.FORBIDDEN, "Your organisation does not issue credentials."
        )
    if award.revoked_at is not None:
        return FieldError("awardId", ErrorCode.CONFLICT, "This award was withdrawn.")
    issued = await IssuedCredential.get_or_none(award_id=award.id)
    if issued is not None:
        return issued
    key = await signing_key(organisation.id, secret, now)
    # Two requests may take the same next place in the list; the loser takes the next one.
    for _ in range(5):
        try:
            return await _issue_at_next_place(award, organisation, key, urls, secret, now)
        except IntegrityError:
            issued = await IssuedCredential.get_or_none(award_id=award.id)
            if issued is not None:
                return issued
    raise RuntimeError("no free place in the status list after five tries")


async def _issue_at_next_place(
    award: Award,
    organisation: Organisation,
    key: IssuerKey,
    urls: Urls,
    secret: str,
    now: datetime,
) -> IssuedCredential:
    last = (
        await IssuedCredential.filter(organisation_id=organisation.id)
        .order_by("-status_index")
        .first()
    )
    index = 0 if last is None else last.status_index + 1
    if index >= ob.STATUS_LIST_BITS:
        raise RuntimeError("the organisation's status list is full")
    credential_id = uuid.uuid4()
    document = ob.open_badge_credential(
        credential_id=f"urn:uuid:{credential_id}",
        issuer=_issuer(organisation, urls),
        facts=achievement_facts(award.badge, urls),
        recipient=ob.Recipient(award.rep.email or "", secrets.token_hex(8)),
        awarded_at=award.awarded_at,
        issued_at=now,
        narrative=ob.evidence(award.explanation, organisation.credentials_show_amounts),
        status=ob.StatusEntry(urls.status_list(organisation.id), index),
    )
    token = sign(
        ob.jwt_claims(document, now),
        _as_new_key(key),
        secret,
        key_set_url=urls.keys(organisation.id),
    )
    return await IssuedCredential.create(
        organisation_id=organisation.id,
        award_id=award.id,
        uuid=credential_id,
        status_index=index,
        kid=key.kid,
        issued_at=now,
        token=token,
    )


async def publisher(organisation_id: int) -> Organisation | None:
    """The organisation, when it publishes an issuer: it issues credentials or has issued
    some (turning issuing off stops new ones; those already issued still verify)."""
    organisation = await Organisation.get_or_none(id=organisation_id)
    if organisation is None or not (
        organisation.credentials_enabled or await IssuerKey.exists(organisation_id=organisation_id)
    ):
        return None
    return organisation


def profile(organisation: Organisation, urls: Urls) -> dict[str, object]:
    """The issuer's Profile."""
    return {
        "@context": list(ob.CONTEXTS),
        **ob.profile(_issuer(organisation, urls)),
        "url": urls.issuer(organisation.id),
    }


def achievement(
    organisation: Organisation, badge: BadgeDefinition, urls: Urls
) -> dict[str, object]:
    """A badge of the organisation as an Open Badges 3.0 Achievement."""
    return ob.achievement(achievement_facts(badge, urls), _issuer(organisation, urls))


async def key_set(organisation_id: int) -> dict[str, Any]:
    """Every key the organisation has signed with, retired ones too (JWKS, RFC 7517)."""
    keys = await IssuerKey.filter(organisation_id=organisation_id).order_by("id")
    return {"keys": [key.public_jwk for key in keys]}


async def status_list_token(
    organisation: Organisation, urls: Urls, secret: str, now: datetime
) -> str:
    """The organisation's status list as a signed credential: the bit of each issued
    credential whose award was withdrawn is set."""
    organisation_id = organisation.id
    revoked = await IssuedCredential.filter(
        organisation_id=organisation_id, award__revoked_at__isnull=False
    ).values_list("status_index", flat=True)
    list_url = urls.status_list(organisation_id)
    document = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": list_url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": urls.issuer(organisation_id),
        "validFrom": now.isoformat(),
        "credentialSubject": {
            "id": f"{list_url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": ob.status_list(int(i) for i in revoked),
        },
    }
    key = await signing_key(organisation_id, secret, now)
    claims = {"vc": document, "iss": urls.issuer(organisation_id), "jti": list_url}
    return sign(claims, _as_new_key(key), secret, key_set_url=urls.keys(organisation_id))
