"""Lint rules, grouped by family; see registry.py."""

from .registry import REGISTRY, Context, Rule, all_rules, rule

__all__ = ["REGISTRY", "Context", "Rule", "all_rules", "rule"]
