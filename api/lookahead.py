"""What a query asks for below a field, so that a level of the tree can load its children's
figures in bulk only when they are wanted."""

from __future__ import annotations

from graphql import FieldNode, FragmentSpreadNode, InlineFragmentNode, SelectionSetNode
from strawberry.types import Info


def asks_for(info: Info, name: str) -> bool:
    """Whether a field called `name` is selected anywhere below the field being resolved
    (through fragments too)."""
    raw = info._raw_info
    fragments = raw.fragments
    pending: list[SelectionSetNode] = [
        node.selection_set for node in raw.field_nodes if node.selection_set is not None
    ]
    seen: set[str] = set()
    while pending:
        for selection in pending.pop().selections:
            if isinstance(selection, FieldNode):
                if selection.name.value == name:
                    return True
                if selection.selection_set is not None:
                    pending.append(selection.selection_set)
            elif isinstance(selection, InlineFragmentNode):
                pending.append(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                fragment = selection.name.value
                if fragment not in seen and fragment in fragments:
                    seen.add(fragment)
                    pending.append(fragments[fragment].selection_set)
    return False
