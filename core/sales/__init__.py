"""CRM records fed to Pacesetter: accounts, products and deals."""
