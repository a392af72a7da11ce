from decimal import Decimal

from gamification.leaderboards import Standing, rank

D = Decimal


def test_ties_share_a_rank_and_the_next_rank_skips() -> None:
    figures = [("ann", D(500)), ("bob", D(900)), ("cy", D(500)), ("dee", D(100)), ("eve", None)]

    assert rank(figures) == [
        Standing("bob", D(900), 1),
        Standing("ann", D(500), 2),
        Standing("cy", D(500), 2),
        Standing("dee", D(100), 4),
        Standing("eve", None, None),
    ]


def test_everyone_equal_is_everyone_first() -> None:
    assert [s.rank for s in rank([("a", D(0)), ("b", D(0))])] == [1, 1]
