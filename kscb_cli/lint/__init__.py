"""Checking a store: the linter, its rules (one module per family), the commit guard and publish-check."""
