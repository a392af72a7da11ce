"""Declared markets: their definitions, sizes, figures and whitespace."""
