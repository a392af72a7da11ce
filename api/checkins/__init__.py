"""Check-ins over GraphQL: feedback loops between reps and their managers."""
