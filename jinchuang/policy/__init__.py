"""The policy engine: catalog, case format, evaluation. Pure Python, no Django."""
