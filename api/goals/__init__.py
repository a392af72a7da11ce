"""GraphQL for goals and their progress."""
