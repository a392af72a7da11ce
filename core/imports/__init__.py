"""Importing CRM exports: CSV files mapped onto Pacesetter's records."""
