"""Pure business rules: plain values in, plain values out; no ORM, no GraphQL."""
