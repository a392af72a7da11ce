"""Markets over GraphQL: declarations, sizes and whitespace."""
