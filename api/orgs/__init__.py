"""GraphQL for teams and people."""
