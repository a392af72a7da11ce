"""Open Badges 3.0 in words and bits: a badge rule's criteria, an award's evidence (amounts only
where the organisation allows them), and the Bitstring Status List a verifier reads revocations
from. Plain values in and out; signing and storage live elsewhere."""

from __future__ import annotations

import base64
import gzip
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

# Bitstring Status List: at least 16 KiB of bits, so one credential's place says little about
# how many were issued (group privacy).
STATUS_LIST_BITS = 131_072
PERCENT = Decimal(100)


@dataclass(frozen=True)
class RuleFacts:
    """What a badge rule asks, as its definition states it."""

    kind: str
    threshold: Decimal
    metric: str | None = None
    daily_minimum: Decimal | None = None
    course_code: str | None = None


def _metric_words(metric: str | None) -> str:
    return (metric or "a metric").replace("_", " ").lower()


def _a_goal(metric: str | None) -> str:
    """'a revenue goal'; 'a goal' for a rule of any metric."""
    return f"a {_metric_words(metric)} goal" if metric else "a goal"


def _number(value: Decimal) -> str:
    """A threshold as people write it: 100, not 100.00; 2.5 stays 2.5."""
    return format(value.normalize(), "f")


def criteria(rule: RuleFacts) -> str:
    """The rule in words, for an Achievement's `criteria.narrative`."""
    threshold = _number(rule.threshold)
    match rule.kind:
        case "ATTAINMENT":
            return f"Reach {threshold}% of the target of {_a_goal(rule.metric)}."
        case "FIRST_WIN":
            return "Win a first deal."
        case "DEALS_WON_IN_MONTH":
            return f"Win {threshold} deals in one calendar month."
        case "STREAK_DAILY":
            minimum = _number(rule.daily_minimum) if rule.daily_minimum is not None else "the"
            return (
                f"Reach {minimum} of {_metric_words(rule.metric)} a day on {threshold} "
                "working days in a row."
            )
        case "RANK_FIRST_IN_MONTH":
            return f"Finish a calendar month first on the {_metric_words(rule.metric)} leaderboard."
        case "STREAK_GOALS":
            return (
                f"Reach the target of {threshold} {_metric_words(rule.metric)} goals "
                "one after another."
            )
        case "PRIZE":
            return "Win a sales contest."
        case "CERTIFICATION":
            course = f"the {rule.course_code} course" if rule.course_code else "a certifying course"
            return f"Earn the certification of {course}."
    raise ValueError(f"unknown badge kind {rule.kind!r}")


def evidence(explanation: Mapping[str, object], show_amounts: bool) -> str:
    """An award's explanation in words, for its credential's evidence. Figures of money (a
    target, a value) only with `show_amounts`; deal ids never (they name the CRM's records)."""
    figures = explanation.get("figures")
    facts = figures if isinstance(figures, Mapping) else {}
    said: list[str] = []
    if "attainment" in facts and facts.get("attainment") is not None:
        goal = _a_goal(_text(facts.get("metric")))
        said.append(f"reached {facts['attainment']}% of the target of {goal}")
        if show_amounts and facts.get("currentValue") is not None:
            said.append(f"{facts['currentValue']} against a target of {facts.get('target')}")
    if "dealsWonThisMonth" in facts:
        said.append(f"won {facts['dealsWonThisMonth']} deals in {facts.get('period')}")
    if "days" in facts and isinstance(facts["days"], list):
        days = facts["days"]
        if days:
            said.append(f"{len(days)} working days in a row, {days[0]} to {days[-1]}")
    if "rank" in facts:
        said.append(f"ranked {facts['rank']} on {_metric_words(_text(facts.get('metric')))}")
        if show_amounts and facts.get("value") is not None:
            said.append(f"with {facts['value']}")
    if "course" in facts:
        said.append(f"certified in {facts['course']} on {facts.get('certifiedOn')}")
    if "goals" in facts and isinstance(facts["goals"], list):
        said.append(f"reached the target of {len(facts['goals'])} goals in a row")
    if not said:
        return "Awarded under the organisation's badge rule."
    text = "; ".join(said)
    return text[0].upper() + text[1:] + "."


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def status_list(revoked: Iterable[int], size: int = STATUS_LIST_BITS) -> str:
    """A Bitstring Status List's `encodedList`: the bits (index 0 the first, most significant
    bit of the first byte) GZIP-compressed, base64url without padding, multibase prefix 'u'."""
    bits = bytearray(size // 8)
    for index in revoked:
        if not 0 <= index < size:
            raise ValueError(f"status index {index} is outside a list of {size}")
        bits[index // 8] |= 0x80 >> (index % 8)
    # mtime=0: the same revocations give the same bytes.
    packed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(packed).rstrip(b"=").decode()


CONTEXTS = (
    "https://www.w3.org/2018/credentials/v1",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json",
)
SCHEMA_ID = (
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
)


@dataclass(frozen=True)
class Issuer:
    id: str
    name: str


@dataclass(frozen=True)
class AchievementFacts:
    id: str
    name: str
    description: str
    criteria: str
    image: str


@dataclass(frozen=True)
class Recipient:
    """Who earned it, as a salted hash of their email: the credential names no one in clear."""

    email: str
    salt: str

    def identity(self) -> dict[str, object]:
        digest = hashlib.sha256((self.email.strip().lower() + self.salt).encode()).hexdigest()
        return {
            "type": "IdentityObject",
            "identityHash": f"sha256${digest}",
            "identityType": "emailAddress",
            "hashed": True,
            "salt": self.salt,
        }


@dataclass(frozen=True)
class StatusEntry:
    list_url: str
    index: int


def achievement(facts: AchievementFacts, issuer: Issuer) -> dict[str, object]:
    """An Open Badges 3.0 `Achievement`: a badge definition as any wallet reads it."""
    return {
        "id": facts.id,
        "type": ["Achievement"],
        "name": facts.name,
        "description": facts.description or facts.criteria,
        "criteria": {"narrative": facts.criteria},
        "image": {"id": facts.image, "type": "Image"},
        "creator": profile(issuer),
    }


def profile(issuer: Issuer) -> dict[str, object]:
    return {"id": issuer.id, "type": ["Profile"], "name": issuer.name}


def open_badge_credential(
    *,
    credential_id: str,
    issuer: Issuer,
    facts: AchievementFacts,
    recipient: Recipient,
    awarded_at: datetime,
    issued_at: datetime,
    narrative: str,
    status: StatusEntry,
) -> dict[str, object]:
    """An `OpenBadgeCredential` for one award, unsigned."""
    return {
        "@context": list(CONTEXTS),
        "id": credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": facts.name,
        "issuer": profile(issuer),
        "issuanceDate": _instant(issued_at),
        "awardedDate": _instant(awarded_at),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [recipient.identity()],
            "achievement": achievement(facts, issuer),
        },
        "evidence": [{"type": ["Evidence"], "narrative": narrative}],
        "credentialStatus": {
            "id": f"{status.list_url}#{status.index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(status.index),
            "statusListCredential": status.list_url,
        },
        "credentialSchema": [{"id": SCHEMA_ID, "type": "1EdTechJsonSchemaValidator2019"}],
    }


def jwt_claims(credential: Mapping[str, object], issued_at: datetime) -> dict[str, object]:
    """The JWT claims of a VC-JWT: the credential under `vc`, its issuer, id and start."""
    issuer = credential["issuer"]
    assert isinstance(issuer, Mapping)
    return {
        "vc": dict(credential),
        "iss": issuer["id"],
        "jti": credential["id"],
        "nbf": int(issued_at.timestamp()),
        "iat": int(issued_at.timestamp()),
    }


def _instant(at: datetime) -> str:
    if at.tzinfo is None:
        raise ValueError("an instant needs its timezone")
    return at.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
