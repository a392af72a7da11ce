"""How Pacesetter keeps numbers: amounts exact to four decimal places wherever they are
stored or summed, rounded only when a figure is shown.

Order exports carry prices such as 957.5775; keeping four places stores them as given.
An amount with more places than that is refused where it arrives (never rounded on the
way in), so every path — GraphQL, webhook, CSV, COPY, SQLite — stores the same number.
What Pacesetter computes itself (a currency conversion, a relative target) is brought to
the kept precision by `kept`, half to even; what it shows is rounded by `shown`, half up,
to the currency's minor unit (and percentages to two places).
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from fractions import Fraction
from math import floor

PLACES = 4
KEPT = Decimal(1).scaleb(-PLACES)
SCALE = 10**PLACES
# Stored amounts are NUMERIC(18, 4): fourteen places before the point.
MAX_MONEY = Decimal(10) ** 14
# The minor unit figures are shown in (cents), and percentages' two places.
SHOWN = Decimal("0.01")


def fits_kept(value: Decimal) -> bool:
    """Whether `value` (finite, below MAX_MONEY) has no more places than are kept."""
    return value == value.quantize(KEPT)


def kept(value: Decimal) -> Decimal:
    """A computed amount at the kept precision."""
    return value.quantize(KEPT, rounding=ROUND_HALF_EVEN)


def shown(value: Decimal) -> Decimal:
    """A figure as it is shown: two places, half up."""
    return value.quantize(SHOWN, rounding=ROUND_HALF_UP)


def shown_exact(value: Fraction) -> Decimal:
    """`shown` of an exact ratio (a share of a prorated market): rounded once, from the
    exact value, so a half that no finite decimal holds still rounds up."""
    cents = floor(abs(value) * 100 + Fraction(1, 2))
    return Decimal(cents if value >= 0 else -cents).scaleb(-2)


def shown_or_none(value: Decimal | None) -> Decimal | None:
    """`shown`, with no figure left as none."""
    return shown(value) if value is not None else None


def ticks(amount: Decimal) -> int:
    """An amount at the kept precision as a whole number of ten-thousandths, so that sums
    stay exact in any database (SQLite sums decimals as floats)."""
    scaled = amount.scaleb(PLACES)
    whole = int(scaled)
    if whole != scaled:
        raise ValueError(f"{amount} has more than {PLACES} decimal places")
    return whole


def from_ticks(count: int) -> Decimal:
    return Decimal(count).scaleb(-PLACES)


def written(value: Decimal) -> str:
    """A number as the API writes it: every place that is kept, and at least two
    (8000.00, 957.5775, 10.005), never in exponent form."""
    if not value.is_finite():
        return str(value)
    exponent = value.normalize().as_tuple().exponent
    places = max(2, -exponent) if isinstance(exponent, int) else 2
    return f"{value:.{places}f}"
