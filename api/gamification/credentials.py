"""Awards as Open Badges 3.0 credentials over GraphQL: a rep has an award issued and downloads
it; admins choose whether the organisation issues them, and rotate its signing key."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import jwt
import strawberry
from strawberry.scalars import JSON

from api.context import Info
from api.errors import InputErrors
from api.ids import parse_id
from api.issuers import urls
from api.orgs.types import Organisation
from core.credentials import service
from core.credentials.models import IssuedCredential
from core.orgs.store import get_organisation


@strawberry.type(
    description="An award issued as an Open Badges 3.0 OpenBadgeCredential, signed by the "
    "organisation's key (VC-JWT): a wallet imports `jwt`; anyone verifies it with the keys "
    "published at `keysUrl`, and reads its revocation from the status list it names."
)
class OpenBadgeCredential:
    id: str = strawberry.field(description="The credential's id (urn:uuid:…).")
    issued_at: datetime
    jwt: str = strawberry.field(description="The signed credential, a compact JWS.")
    credential: JSON = strawberry.field(description="The credential itself (the JWT's `vc`).")
    issuer_url: str = strawberry.field(description="The issuer's profile.")
    keys_url: str = strawberry.field(description="The issuer's keys (JWKS), retired ones too.")

    @classmethod
    def of(cls, issued: IssuedCredential, found: service.Urls) -> OpenBadgeCredential:
        claims: dict[str, Any] = jwt.decode(issued.token, options={"verify_signature": False})
        return cls(
            id=f"urn:uuid:{issued.uuid}",
            issued_at=issued.issued_at,
            jwt=issued.token,
            credential=claims["vc"],
            issuer_url=found.issuer(issued.organisation_id),
            keys_url=found.keys(issued.organisation_id),
        )


@strawberry.type(description="A key the organisation signs credentials with.")
class IssuerKey:
    kid: str
    created_at: datetime
    retired_at: datetime | None


IssueCredentialResult = Annotated[
    OpenBadgeCredential | InputErrors, strawberry.union("IssueCredentialResult")
]
SetCredentialIssuingResult = Annotated[
    Organisation | InputErrors, strawberry.union("SetCredentialIssuingResult")
]
RotateIssuerKeyResult = Annotated[
    IssuerKey | InputErrors, strawberry.union("RotateIssuerKeyResult")
]


async def credential_of(info: Info, award_id: int, rep_id: int) -> OpenBadgeCredential | None:
    """An award's credential, for its rep alone."""
    access = await info.context.access()
    if not access.holds_credentials_of(rep_id):
        return None
    issued = await info.context.loaders.credentials.load(award_id)
    return None if issued is None else OpenBadgeCredential.of(issued, urls(info.context.request))


@strawberry.type
class CredentialMutations:
    @strawberry.mutation(
        description="Your award as an Open Badges 3.0 credential to keep in any wallet: "
        "issued the first time, the same one after."
    )
    async def issue_credential(self, info: Info, award_id: strawberry.ID) -> IssueCredentialResult:
        access = await info.context.access()
        rep_id = access.viewer.user_id
        if rep_id is None:
            return InputErrors.forbidden("awardId")
        found = urls(info.context.request)
        issued = await service.issue(
            parse_id(award_id) or 0,
            rep_id,
            found,
            info.context.settings.jwt_secret,
            info.context.now,
        )
        if isinstance(issued, IssuedCredential):
            return OpenBadgeCredential.of(issued, found)
        return InputErrors.of(issued)

    @strawberry.mutation(
        description="Admins: whether reps may have awards issued as credentials, and whether "
        "their evidence may state amounts of money; what is not given stays."
    )
    async def set_credential_issuing(
        self, info: Info, enabled: bool | None = None, show_amounts: bool | None = None
    ) -> SetCredentialIssuingResult:
        access = await info.context.access()
        if not access.is_admin:
            return InputErrors.forbidden("enabled")
        organisation = await service.set_issuing(
            await get_organisation(access.viewer.organisation_id),
            enabled,
            show_amounts,
            access.viewer.user_id,
            info.context.now,
        )
        return Organisation.of(organisation)

    @strawberry.mutation(
        description="Admins: sign new credentials with a new key. The old keys stay published, "
        "so what they signed still verifies."
    )
    async def rotate_issuer_key(self, info: Info) -> RotateIssuerKeyResult:
        access = await info.context.access()
        if not access.is_admin:
            return InputErrors.forbidden("kid")
        key = await service.rotate_key(
            access.viewer.organisation_id,
            info.context.settings.jwt_secret,
            access.viewer.user_id,
            info.context.now,
        )
        return IssuerKey(kid=key.kid, created_at=key.created_at, retired_at=key.retired_at)
