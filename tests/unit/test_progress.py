from decimal import Decimal

import pytest

from domain.progress import GoalStatus, PaceThresholds, compute_progress

DEFAULT = PaceThresholds()
D = Decimal


def test_past_target_is_achieved_even_mid_period() -> None:
    progress = compute_progress(D(11000), D(10000), D("0.5"), DEFAULT)

    assert progress.attainment == D("110.00")
    assert progress.expected_attainment == D("50.00")
    # 11,000 in half the period runs at 22,000 for the whole of it.
    assert progress.projected_value == D("22000.00")
    assert progress.status is GoalStatus.ACHIEVED


def test_exactly_on_pace_is_on_track() -> None:
    progress = compute_progress(D(4000), D(10000), D("0.4"), DEFAULT)

    assert progress.attainment == D("40.00")
    assert progress.expected_attainment == D("40.00")
    assert progress.projected_value == D("10000.00")
    assert progress.status is GoalStatus.ON_TRACK


def test_pace_of_exactly_085_is_at_risk() -> None:
    # 3,400 / 10,000 = 0.34 of target at 0.4 of the period: pace 0.85.
    assert compute_progress(D(3400), D(10000), D("0.4"), DEFAULT).status is GoalStatus.AT_RISK


def test_pace_just_under_085_is_off_track() -> None:
    # 0.3399 / 0.4 = 0.84975.
    assert compute_progress(D(3399), D(10000), D("0.4"), DEFAULT).status is GoalStatus.OFF_TRACK


def test_thresholds_are_the_organisations() -> None:
    lenient = PaceThresholds(on_track=D("0.9"), at_risk=D("0.5"))
    # pace 0.36 / 0.4 = 0.9
    assert compute_progress(D(3600), D(10000), D("0.4"), lenient).status is GoalStatus.ON_TRACK
    # pace 0.2 / 0.4 = 0.5
    assert compute_progress(D(2000), D(10000), D("0.4"), lenient).status is GoalStatus.AT_RISK


def test_before_the_period_nothing_is_expected_and_nothing_projected() -> None:
    progress = compute_progress(D(0), D(10000), D(0), DEFAULT)

    assert progress.expected_attainment == D("0.00")
    assert progress.projected_value is None
    assert progress.status is GoalStatus.ON_TRACK


def test_period_over_below_target_is_missed() -> None:
    progress = compute_progress(D("9999.99"), D(10000), D(1), DEFAULT)

    assert progress.attainment == D("100.00")  # 99.9999 rounds half up to two places
    assert progress.projected_value == D("9999.99")
    assert progress.status is GoalStatus.MISSED


def test_attainment_rounds_half_up_to_two_places() -> None:
    assert compute_progress(D(1), D(3), D("0.5"), DEFAULT).attainment == D("33.33")
    assert compute_progress(D(2), D(3), D("0.5"), DEFAULT).attainment == D("66.67")
    assert compute_progress(D(1), D(8), D("0.5"), DEFAULT).attainment == D("12.50")


def test_target_must_be_positive() -> None:
    with pytest.raises(ValueError, match="target must be positive"):
        compute_progress(D(1), D(0), D("0.5"), DEFAULT)


def test_a_rate_is_judged_on_its_level_not_its_pace() -> None:
    # A 40% win rate against a 50% target, a fifth into the period: pace 0.8.
    progress = compute_progress(D(40), D(50), D("0.2"), DEFAULT, cumulative=False)

    assert progress.expected_attainment == D("100.00")
    assert progress.projected_value == D("40.00")
    assert progress.attainment == D("80.00")
    assert progress.status is GoalStatus.OFF_TRACK


def test_a_rate_above_target_is_on_track_until_the_period_ends() -> None:
    running = compute_progress(D(60), D(50), D("0.5"), DEFAULT, cumulative=False)
    ended = compute_progress(D(60), D(50), D(1), DEFAULT, cumulative=False)

    assert running.status is GoalStatus.ON_TRACK
    assert ended.status is GoalStatus.ACHIEVED


def test_a_rate_without_a_value_yet() -> None:
    running = compute_progress(None, D(50), D("0.5"), DEFAULT, cumulative=False)

    assert (running.current_value, running.attainment, running.projected_value) == (
        None,
        None,
        None,
    )
    assert running.status is GoalStatus.OFF_TRACK
    assert compute_progress(None, D(50), D(1), DEFAULT, False).status is GoalStatus.MISSED


def test_a_move_is_measured_from_where_it_starts() -> None:
    # Conversion from 15% to 25%: at 9.38% nothing is achieved yet (not 37.52%); at 20%
    # half the way; at 25% all of it.
    def move(current: str) -> Decimal | None:
        progress = compute_progress(
            Decimal(current),
            Decimal(25),
            Decimal("0.5"),
            PaceThresholds(),
            cumulative=False,
            start=Decimal(15),
        )
        return progress.attainment

    assert [move("9.38"), move("15"), move("20"), move("25")] == [
        Decimal("0.00"),
        Decimal("0.00"),
        Decimal("50.00"),
        Decimal("100.00"),
    ]
