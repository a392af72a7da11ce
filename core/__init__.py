"""Pacesetter's persistence and services: models, stores and service functions per area."""
