"""Markets: what a declared market may be, its size over any period (revenue prorated by
day, addressable accounts), and where its whitespace lies."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from domain.errors import ErrorCode, FieldError
from domain.inputs import check_amount, check_count, check_text, in_range
from domain.money import shown, shown_exact
from domain.records import MAX_LABEL_LENGTH

MAX_CODE_LENGTH = 64
MAX_NAME_LENGTH = 200
MAX_PRODUCTS = 500
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class MarketDraft:
    """A market as declared: where it is (region, segment) and what it buys (products, by
    external id; none: every product). At least one of the three."""

    code: str
    name: str
    region: str | None = None
    segment: str | None = None
    product_codes: tuple[str, ...] = ()


def _label(value: str | None) -> str | None:
    return value.strip() or None if value is not None else None


def normalised(draft: MarketDraft) -> MarketDraft:
    """Trimmed, with blank labels as none and each product once."""
    return MarketDraft(
        code=draft.code.strip(),
        name=draft.name.strip(),
        region=_label(draft.region),
        segment=_label(draft.segment),
        product_codes=tuple(dict.fromkeys(p.strip() for p in draft.product_codes if p.strip())),
    )


def check_market(draft: MarketDraft) -> list[FieldError]:
    """The rules of a (normalised) market."""
    errors = []
    for name, value, longest in (
        ("code", draft.code, MAX_CODE_LENGTH),
        ("name", draft.name, MAX_NAME_LENGTH),
    ):
        if not value:
            errors.append(FieldError(name, ErrorCode.REQUIRED, f"{name} must not be empty."))
        errors += check_text(name, value, longest)
    errors += check_text("region", draft.region, MAX_LABEL_LENGTH)
    errors += check_text("segment", draft.segment, MAX_LABEL_LENGTH)
    if len(draft.product_codes) > MAX_PRODUCTS:
        errors.append(
            FieldError(
                "productIds", ErrorCode.TOO_MANY, f"A market has at most {MAX_PRODUCTS} products."
            )
        )
    if draft.region is None and draft.segment is None and not draft.product_codes:
        errors.append(
            FieldError(
                "region",
                ErrorCode.REQUIRED,
                "A market is a region, a segment or a product line (or some of them): "
                "name at least one.",
            )
        )
    return errors


@dataclass(frozen=True)
class MarketSize:
    """How big a market is over a period (from an analyst report, a territory plan): its
    addressable accounts (a count at that time) and/or its total revenue over the period."""

    first: date
    last: date
    accounts: int | None = None
    revenue: Decimal | None = None

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


def check_size(size: MarketSize, others: Sequence[MarketSize]) -> list[FieldError]:
    """A size's rules; `others` are the market's other sizes (one starting the same day is
    the one this replaces)."""
    errors = []
    if not (in_range(size.first) and in_range(size.last)):
        errors.append(
            FieldError("periodStart", ErrorCode.OUT_OF_RANGE, "Days between 1900 and 2199.")
        )
    elif size.last < size.first:
        errors.append(
            FieldError("periodEnd", ErrorCode.INVALID, "periodEnd is on or after periodStart.")
        )
    if size.accounts is None and size.revenue is None:
        errors.append(
            FieldError(
                "addressableAccounts",
                ErrorCode.REQUIRED,
                "A size gives addressableAccounts, revenue or both.",
            )
        )
    if size.accounts is not None:
        errors += check_count("addressableAccounts", size.accounts)
    money = check_amount("revenue", size.revenue)
    if not money and size.revenue == 0:
        money = [FieldError("revenue", ErrorCode.NOT_POSITIVE, "revenue must be above 0.")]
    errors += money
    if errors:
        return errors
    for other in others:
        if other.first != size.first and other.first <= size.last and size.first <= other.last:
            return [
                FieldError(
                    "periodStart",
                    ErrorCode.CONFLICT,
                    f"The market already has a size for {other.first.isoformat()} to "
                    f"{other.last.isoformat()}; periods of one market do not overlap.",
                )
            ]
    return []


@dataclass(frozen=True)
class MarketRecord:
    """A row of an imported table of markets: the market and its size over one period."""

    market: MarketDraft
    size: MarketSize
    source: str | None = None


def revenue_over(sizes: Sequence[MarketSize], first: date, last: date) -> Fraction | None:
    """The market's revenue over these days: each size brings its revenue times the share
    of its days that fall among them (a year's report spread evenly over its days). None
    when a day has no revenue declared, or when no day is asked for (a period not begun)."""
    if last < first:
        return None
    covered, total = 0, Fraction(0)
    for size in sizes:
        start, end = max(size.first, first), min(size.last, last)
        if size.revenue is None or end < start:
            continue
        days = (end - start).days + 1
        covered += days
        total += Fraction(size.revenue) * days / size.days
    return total if covered == (last - first).days + 1 else None


def addressable_in(sizes: Sequence[MarketSize], first: date, last: date) -> int | None:
    """The accounts a market holds for a period: as declared for its last day, else as
    last declared within it."""
    within = [s for s in sizes if s.accounts is not None and s.first <= last and first <= s.last]
    if not within:
        return None
    covering = [s for s in within if s.first <= last <= s.last]
    return max(covering or within, key=lambda s: s.first).accounts


def share_of(revenue: Decimal, market_revenue: Fraction | None) -> Decimal | None:
    """MARKET_SHARE: revenue over the market's, × 100, rounded once from the exact ratio."""
    if not market_revenue:
        return None
    return shown_exact(Fraction(revenue) / market_revenue * 100)


@dataclass(frozen=True)
class Buying:
    """Who in a segment buys a product: how many of its accounts, in how many won deals."""

    accounts: int
    wins: int


@dataclass(frozen=True)
class Gap:
    """A product an account's segment buys and it does not: `peers` of the segment's
    `segment_accounts` bought it, in `peer_wins` won deals."""

    account_id: int
    product_id: int
    peers: int
    segment_accounts: int
    peer_wins: int

    @property
    def adoption(self) -> Decimal:
        """The share of the segment's accounts buying the product, × 100."""
        return shown(Decimal(self.peers) / self.segment_accounts * HUNDRED)


def gaps(
    segments: Mapping[int, str | None],
    bought: Mapping[int, frozenset[int]],
    buying: Mapping[str, Mapping[int, Buying]],
    segment_accounts: Mapping[str, int],
    products: frozenset[int] | None = None,
) -> list[Gap]:
    """For each account (id → segment), the products its segment buys that it has not
    bought (within `products`, a market's line, when given): the most widely adopted in
    the segment first, then the most often won."""
    found = []
    for account, segment in segments.items():
        if segment is None:
            continue
        own = bought.get(account, frozenset())
        for product, peers in buying.get(segment, {}).items():
            if product in own or (products is not None and product not in products):
                continue
            found.append(
                Gap(account, product, peers.accounts, segment_accounts[segment], peers.wins)
            )
    return sorted(
        found,
        key=lambda g: (
            -Fraction(g.peers, g.segment_accounts),
            -g.peer_wins,
            g.account_id,
            g.product_id,
        ),
    )


def never_sold_to(
    accounts: Sequence[int],
    bought: Mapping[int, frozenset[int]],
    products: frozenset[int] | None = None,
) -> list[int]:
    """The accounts with no won deal ever (for the market's line, when it has one)."""
    return [
        account
        for account in accounts
        if not (
            bought.get(account, frozenset()) & products
            if products is not None
            else bought.get(account)
        )
    ]


def open_accounts(addressable: int | None, customers: int) -> int | None:
    """Addressable accounts not yet won in the period (none when the size is unknown)."""
    return max(addressable - customers, 0) if addressable is not None else None
