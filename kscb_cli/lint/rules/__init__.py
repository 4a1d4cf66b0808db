"""Lint rules, grouped by family: families.py is the table, registry.py loads it, rule.py and context.py are what a rule is and sees."""
