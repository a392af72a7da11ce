"""GraphQL for CRM data coming in."""
