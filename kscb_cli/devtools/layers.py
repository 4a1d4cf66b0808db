"""The layers of kscb_cli, lowest first: the one statement of the architecture.

tests/test_layers.py checks every import against it, docs/architecture.md's table must
match it, and docs/modules.md (the module map) is generated in its order.
"""

from __future__ import annotations

# A package may import from packages below it, and from itself; never from a package above
# it or beside it (editing, reporting and warehouse are side by side: none uses another).
LAYERS: list[tuple[str, ...]] = [
    ("base",),
    ("model",),
    ("privacy",),
    ("store",),
    ("domain",),
    ("lint",),
    ("history",),
    ("editing", "reporting", "warehouse"),
    ("cli",),
    ("devtools",),
]
RANK: dict[str, int] = {package: rank for rank, group in enumerate(LAYERS) for package in group}
