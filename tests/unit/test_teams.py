from domain.teams import ancestors, members, subtree

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
