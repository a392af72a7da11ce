"""Who is calling: passwords, access and refresh tokens, API keys."""
