"""The GraphQL API, its ASGI app and the `pacesetter` command line."""
