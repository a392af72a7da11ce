from decimal import Decimal

from gamification.leaderboards import Figure, Standing, rank

D = Decimal


def test_ties_share_a_rank_and_the_next_rank_skips() -> None:
    figures = [
        Figure("ann", D(500)),
        Figure("bob", D(900)),
        Figure("cy", D(500)),
        Figure("dee", D(100)),
        Figure("eve", None),
    ]

    assert rank(figures) == [
        Standing("bob", D(900), 1),
        Standing("ann", D(500), 2),
        Standing("cy", D(500), 2),
        Standing("dee", D(100), 4),
        Standing("eve", None, None),
    ]


def test_everyone_equal_is_everyone_first() -> None:
    assert [s.rank for s in rank([Figure("a", D(0)), Figure("b", D(0))])] == [1, 1]


def test_a_rate_on_too_small_a_sample_is_shown_unranked() -> None:
    """One win out of one deal (100%) is not better than 6 out of 8 (75%) when a rate
    needs five decisions: it stands last, unranked, with its figure and sample."""
    figures = [Figure("one", D(100), 1), Figure("six", D("75.00"), 8), Figure("ten", D(50), 10)]

    assert rank(figures, minimum_sample=5) == [
        Standing("six", D("75.00"), 1, 8),
        Standing("ten", D(50), 2, 10),
        Standing("one", D(100), None, 1),
    ]
    assert [s.key for s in rank(figures)] == ["one", "six", "ten"]
