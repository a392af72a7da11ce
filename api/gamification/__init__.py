"""GraphQL for badges and awards."""
