"""The one GraphQL schema, merged from every area's queries, mutations and subscriptions."""

from __future__ import annotations

from functools import partial

import strawberry
from strawberry.extensions import MaskErrors
from strawberry.tools import merge_types

from api.errors import should_mask
from api.goals.mutations import GoalMutations
from api.goals.queries import GoalQueries
from api.goals.subscriptions import GoalSubscriptions
from api.orgs.mutations import OrgMutations
from api.orgs.queries import OrgQueries
from api.sales.mutations import SalesMutations

Query = merge_types("Query", (OrgQueries, GoalQueries))
Mutation = merge_types("Mutation", (OrgMutations, GoalMutations, SalesMutations))
Subscription = merge_types("Subscription", (GoalSubscriptions,))

schema = strawberry.Schema(
    query=Query,
    mutation=Mutation,
    subscription=Subscription,
    # A factory, so that every operation gets its own extension instance.
    extensions=[partial(MaskErrors, should_mask_error=should_mask)],
)
