"""Translate kscb's JSON Schemas (schemas/<kind>.schema.json) into Yamale schemas, for the benchmark.

Yamale validates each file against one schema and has no discriminated union, so the
benchmark runs it once per record folder with that kind's schema. The translation keeps
what both languages can say: required and optional keys (strict: no other keys), types,
enums, patterns, string lengths, number bounds, lists, maps and nested objects. It is a
fair stand-in for what a partnership would write by hand for Yamale, not a second spec.

    python bench/yamale_schema.py schemas/ OUT_DIR
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def _args(*args: str, **kwargs: object) -> str:
    parts = list(args) + [f"{k}={v!r}" for k, v in kwargs.items() if v is not None]
    return ", ".join(parts)


def validator(node: dict) -> str:
    """The Yamale validator expression for one JSON Schema node."""
    if "$ref" in node:
        return f"include({_ref_name(node['$ref'])!r})"
    if "const" in node:
        return f"enum({node['const']!r})"
    if "enum" in node:
        return f"enum({', '.join(repr(v) for v in node['enum'])})"
    for key in ("anyOf", "oneOf"):
        if key in node:
            options = [o for o in node[key] if o.get("type") != "null"]
            inner = [validator(o) for o in options]
            return inner[0] if len(inner) == 1 else f"any({', '.join(inner)})"
    if "allOf" in node and len(node["allOf"]) == 1:
        return validator(node["allOf"][0])
    kind = node.get("type")
    if isinstance(kind, list):
        inner = [validator({**node, "type": t}) for t in kind if t != "null"]
        return inner[0] if len(inner) == 1 else f"any({', '.join(inner)})"
    if kind == "string":
        if node.get("format") == "date":
            return "day()"
        if "pattern" in node:
            return f"regex({node['pattern']!r})"
        return f"str({_args(min=node.get('minLength'), max=node.get('maxLength'))})"
    if kind == "integer":
        return f"int({_args(min=node.get('minimum'), max=node.get('maximum'))})"
    if kind == "number":
        return f"num({_args(min=node.get('minimum'), max=node.get('maximum'))})"
    if kind == "boolean":
        return "bool()"
    if kind == "array":
        items = node.get("items")
        return f"list({validator(items)})" if items else "list()"
    if kind == "object":
        if node.get("properties"):
            raise ValueError("inline objects are named definitions in kscb's schemas")
        extra = node.get("additionalProperties")
        return f"map({validator(extra)})" if isinstance(extra, dict) else "map()"
    return "any()"


def mapping(node: dict) -> list[str]:
    """`key: validator` lines for an object node, optional keys marked required=False."""
    required = set(node.get("required", ()))
    lines = []
    for name, prop in node.get("properties", {}).items():
        expr = validator(prop)
        if name not in required:
            expr = expr[:-1] + (", " if not expr.endswith("()") else "") + "required=False)"
        lines.append(f"{json.dumps(name)}: {json.dumps(expr)}")
    return lines


def translate(schema: dict) -> str:
    """A whole Yamale schema: the record's keys, then one include per definition."""
    out = mapping(schema)
    for name, node in sorted(schema.get("definitions", {}).items()):
        if node.get("type") == "object" or "properties" in node:
            out += ["---", f"{name}:"] + [f"  {line}" for line in mapping(node) or ["{}"]]
        else:
            out += ["---", f"{name}: {json.dumps(validator(node))}"]
    return "\n".join(out) + "\n"


def main() -> None:
    source, dest = Path(sys.argv[1]), Path(sys.argv[2])
    dest.mkdir(parents=True, exist_ok=True)
    for path in sorted(source.glob("*.schema.json")):
        if path.name in ("record.schema.json", "kscb.schema.json"):
            continue
        (dest / path.name.replace(".schema.json", ".yaml")).write_text(translate(json.loads(path.read_text())))


if __name__ == "__main__":
    main()
