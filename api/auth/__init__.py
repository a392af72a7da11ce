"""GraphQL for signing in and for API keys."""
