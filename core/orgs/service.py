"""Setting up an organisation's structure: the organisation itself, teams and people."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from core.orgs import store
from core.orgs.models import Organisation, Role, Team, User
from core.reactions import OrganisationProvisioned, announce
from domain.errors import ErrorCode, FieldError


class _Refused(Exception):
    def __init__(self, error: FieldError) -> None:
        self.error = error


async def provision_organisation(
    name: str,
    *,
    admin_email: str,
    admin_name: str,
    admin_password_hash: str | None = None,
    currency: str = "USD",
    timezone: str = "UTC",
    fiscal_year_start_month: int = 1,
) -> tuple[Organisation, User] | FieldError:
    """A new tenant with its first admin and the default badge rules, all or nothing."""
    if not name.strip():
        return FieldError("name", ErrorCode.REQUIRED, "An organisation needs a name.")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return FieldError("timezone", ErrorCode.INVALID, f"Unknown timezone {timezone!r}.")
    if not 1 <= fiscal_year_start_month <= 12:
        return FieldError(
            "fiscalYearStartMonth", ErrorCode.INVALID, "The month must be between 1 and 12."
        )
    if len(currency) != 3 or not currency.isalpha():
        return FieldError("currency", ErrorCode.INVALID, "Use an ISO 4217 code such as USD.")
    try:
        async with in_transaction():
            organisation = await store.create_organisation(
                name.strip(),
                currency=currency.upper(),
                timezone=timezone,
                fiscal_year_start_month=fiscal_year_start_month,
            )
            await announce(OrganisationProvisioned(organisation.id))
            admin = await create_user(
                organisation.id,
                email=admin_email,
                name=admin_name,
                role=Role.ADMIN,
                team_id=None,
                password_hash=admin_password_hash,
            )
            if isinstance(admin, FieldError):
                raise _Refused(admin)
    except _Refused as refused:
        return refused.error
    return organisation, admin


async def create_team(organisation_id: int, name: str, parent_id: int | None) -> Team | FieldError:
    name = " ".join(name.split())
    if not name:
        return FieldError("name", ErrorCode.REQUIRED, "A team needs a name.")
    if await store.name_taken(organisation_id, name):
        return FieldError("name", ErrorCode.CONFLICT, f"A team is already named '{name}'.")
    if parent_id is not None and await store.find_team(organisation_id, parent_id) is None:
        return FieldError("parentId", ErrorCode.NOT_FOUND, "No such team in this organisation.")
    return await store.create_team(organisation_id, name, parent_id)


async def create_user(
    organisation_id: int,
    *,
    email: str,
    name: str,
    role: Role,
    team_id: int | None,
    password_hash: str | None = None,
    external_id: str | None = None,
) -> User | FieldError:
    email = email.strip().lower()
    name = name.strip()
    if "@" not in email or email.startswith("@") or email.endswith("@"):
        return FieldError("email", ErrorCode.INVALID, "Not an email address.")
    if not name:
        return FieldError("name", ErrorCode.REQUIRED, "A person needs a name.")
    if role is Role.REP and team_id is None:
        return FieldError("teamId", ErrorCode.REQUIRED, "A rep belongs to a team.")
    if team_id is not None and await store.find_team(organisation_id, team_id) is None:
        return FieldError("teamId", ErrorCode.NOT_FOUND, "No such team in this organisation.")
    try:
        return await store.create_user(
            organisation_id,
            email=email,
            name=name,
            role=role,
            team_id=team_id,
            password_hash=password_hash,
            external_id=external_id,
        )
    except IntegrityError:
        return FieldError("email", ErrorCode.CONFLICT, "A user with this email already exists.")
