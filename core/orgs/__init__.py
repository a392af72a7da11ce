"""Organisations, teams and users."""
