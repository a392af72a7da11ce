"""Training and enablement: the catalogue, assignments, completions and certifications."""
