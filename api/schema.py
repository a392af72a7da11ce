"""The GraphQL schema, merged from every area's queries, mutations and subscriptions, with
the limits that keep one request from taking the server down."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from decimal import Decimal
from functools import partial

import strawberry
from dateutil.parser import isoparse
from strawberry.extensions import (
    AddValidationRules,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    SchemaExtension,
    ValidationCache,
)
from strawberry.schema.types.base_scalars import DateTimeDefinition, DecimalDefinition, wrap_parser
from strawberry.tools import merge_types

import api.execution  # noqa: F401  (fields settle together: see the module)
from api.audit import AuditQueries
from api.auth.mutations import AuthMutations
from api.auth.queries import AuthQueries
from api.checkins.mutations import CheckInMutations
from api.checkins.queries import CheckInQueries
from api.checkins.subscriptions import CheckInSubscriptions
from api.errors import Masking, should_mask
from api.gamification.achievements import (
    AchievementMutations,
    AchievementQueries,
    PointsMutations,
)
from api.gamification.bonus import BonusMutations, BonusQueries
from api.gamification.contests import ContestEditMutations, ContestMutations, ContestQueries
from api.gamification.credentials import CredentialMutations
from api.gamification.leaderboards import LeaderboardQueries, LeaderboardSubscriptions
from api.gamification.queries import GamificationQueries
from api.gamification.subscriptions import AwardSubscriptions
from api.goals.edits import GoalEditMutations
from api.goals.mutations import GoalMutations
from api.goals.queries import GoalQueries
from api.goals.subscriptions import GoalSubscriptions
from api.guard import guard
from api.inputs import screen_inputs
from api.markets.mutations import MarketMutations
from api.markets.queries import MarketQueries
from api.ops import CountErrors, Introspection
from api.orgs.edits import EditMutations
from api.orgs.mutations import CalendarMutations, OrgMutations
from api.orgs.queries import OrgQueries
from api.sales.mutations import SalesMutations
from api.sales.queries import SalesQueries
from api.training.mutations import TrainingMutations
from api.training.queries import TrainingQueries
from api.training.subscriptions import TrainingSubscriptions
from api.trends import TrendQueries
from core.config import Settings
from domain.money import written

# Distinct operation texts whose parsed and validated documents are kept.
DOCUMENT_CACHE = 512

Query = merge_types(
    "Query",
    (
        OrgQueries,
        GoalQueries,
        SalesQueries,
        GamificationQueries,
        BonusQueries,
        LeaderboardQueries,
        AchievementQueries,
        AuthQueries,
        CheckInQueries,
        ContestQueries,
        AuditQueries,
        TrendQueries,
        TrainingQueries,
        MarketQueries,
    ),
)
Mutation = merge_types(
    "Mutation",
    (
        AuthMutations,
        OrgMutations,
        GoalMutations,
        SalesMutations,
        BonusMutations,
        AchievementMutations,
        CalendarMutations,
        ContestMutations,
        PointsMutations,
        CheckInMutations,
        EditMutations,
        GoalEditMutations,
        ContestEditMutations,
        TrainingMutations,
        CredentialMutations,
        MarketMutations,
    ),
)
Subscription = merge_types(
    "Subscription",
    (
        GoalSubscriptions,
        AwardSubscriptions,
        LeaderboardSubscriptions,
        CheckInSubscriptions,
        TrainingSubscriptions,
    ),
)


# Decimals are written with every place kept and at least two (domain.money.written).
DECIMAL = dataclasses.replace(DecimalDefinition, serialize=written)


def _instant(value: str) -> datetime:
    # What clients send (2026-11-18T12:00:00Z, offsets, fractions) `fromisoformat` reads
    # many times faster than dateutil, which stays for the rest of ISO 8601.
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return isoparse(value)


DATETIME = dataclasses.replace(DateTimeDefinition, parse_value=wrap_parser(_instant, "DateTime"))


def create_schema(settings: Settings) -> strawberry.Schema:
    """The API's schema: arguments screened and the access policy on every field that
    needs it (compiled into the fields' resolvers, not run as a middleware on every one)."""
    built = unguarded_schema(settings)
    guard(built._schema)
    return built


def unguarded_schema(settings: Settings) -> strawberry.Schema:
    """The schema with its arguments screened but without the access policy: only for
    measuring what the policy costs (bench/policy.py)."""
    # Factories, so that every operation gets its own extension instances.
    # The limits' rules are made once, so that a validated document can be reused.
    limits = [
        *QueryDepthLimiter(max_depth=settings.max_query_depth).validation_rules,
        *MaxAliasesLimiter(max_alias_count=settings.max_aliases).validation_rules,
    ]
    extensions: list[type[SchemaExtension] | partial[SchemaExtension]] = [
        partial(AddValidationRules, limits),
        partial(MaxTokensLimiter, max_token_count=settings.max_tokens),
        # Clients send the same few operations again and again: parse and validate each once.
        partial(ParserCache, maxsize=DOCUMENT_CACHE),
        partial(ValidationCache, maxsize=DOCUMENT_CACHE),
        partial(Masking, should_mask_error=should_mask),
        CountErrors,
    ]
    extensions.append(partial(Introspection, settings))
    built = strawberry.Schema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        extensions=extensions,
        scalar_overrides={Decimal: DECIMAL, datetime: DATETIME},
    )
    screen_inputs(built._schema)
    return built


# The schema with default settings, whatever the environment says: what `export-schema`
# writes (limits do not change it).
schema = create_schema(Settings.model_construct())
