from domain.teams import ancestors, managers_above, members, subtree

# 1 Sales ─┬─ 2 East ── 4 East Enterprise
#          └─ 3 West
PARENTS = {1: None, 2: 1, 3: 1, 4: 2}
TEAMS_OF = {10: 2, 11: 4, 12: 3, 13: None}


def test_ancestors_nearest_first() -> None:
    assert ancestors(4, PARENTS) == [4, 2, 1]
    assert ancestors(None, PARENTS) == []


def test_subtree_and_members_include_sub_teams() -> None:
    assert subtree(2, PARENTS) == {2, 4}
    assert members(2, PARENTS, TEAMS_OF) == (10, 11)
    assert members(1, PARENTS, TEAMS_OF) == (10, 11, 12)


def test_managers_above_are_nearest_first_without_the_person() -> None:
    # Sales is run by 20, East by 21, East Enterprise has no manager of its own.
    managers = {1: 20, 2: 21, 3: None, 4: None}
    assert managers_above(11, 4, PARENTS, managers) == [21, 20]
    assert managers_above(12, 3, PARENTS, managers) == [20]
    # East's manager sits in East: their own managers are above it, not themselves.
    assert managers_above(21, 2, PARENTS, managers) == [20]
    assert managers_above(20, 1, PARENTS, managers) == []
    assert managers_above(13, None, PARENTS, managers) == []
