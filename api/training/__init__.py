"""Training through GraphQL: the catalogue, assignments, completions, impact."""
