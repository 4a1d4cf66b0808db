"""Lint rules, grouped by family; see registry.py."""

from kscb_cli.lint.rules.registry import REGISTRY, Context, Rule, all_rules, rule

__all__ = ["REGISTRY", "Context", "Rule", "all_rules", "rule"]
