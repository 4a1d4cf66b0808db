"""JSON Schemas (draft-07) generated from the models, for editor completion and hover help."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DRAFT = "http://json-schema.org/draft-07/schema#"


def _draft07(node: Any) -> Any:
    """Pydantic writes 2020-12 `$defs`; draft-07 editors expect `definitions`."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            key = "definitions" if key == "$defs" else key
            if key == "$ref" and isinstance(value, str):
                value = value.replace("#/$defs/", "#/definitions/")
            out[key] = _draft07(value)
        return out
    if isinstance(node, list):
        return [_draft07(v) for v in node]
    return node


def _document(schema: dict[str, Any], title: str, description: str) -> str:
    schema = _draft07(schema)
    schema.pop("discriminator", None)
    doc = {
        "$schema": DRAFT,
        "title": title,
        "description": description,
        **{k: v for k, v in schema.items() if k not in ("title", "description")},
    }
    return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def generate() -> dict[str, str]:
    """File name to content for every schema: one per kind, one for any record, one for kscb.yaml."""
    from pydantic import TypeAdapter

    from kscb_cli.model import MODELS, Record
    from kscb_cli.model.config import Config

    files = {}
    for kind, model in MODELS.items():
        doc = (model.__doc__ or kind).strip().splitlines()[0]
        files[f"{kind}.schema.json"] = _document(model.model_json_schema(), kind, f"A kscb {kind} record: {doc}")
    # Record is an Annotated union built at run time, which mypy cannot see as a type
    adapter = TypeAdapter[Any](Record)  # type: ignore[arg-type]
    files["record.schema.json"] = _document(
        adapter.json_schema(), "record", "Any kscb record; `kind` selects the shape"
    )
    files["kscb.schema.json"] = _document(Config.model_json_schema(), "kscb.yaml", "A kscb store's configuration")
    return dict(sorted(files.items()))


def write(folder: Path) -> list[str]:
    """Write the schemas; return the names that changed."""
    folder.mkdir(parents=True, exist_ok=True)
    changed = []
    for name, text in generate().items():
        path = folder / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            from kscb_cli.base.atomic import write_text

            write_text(path, text)
            changed.append(name)
    return changed


def stale(folder: Path) -> list[str]:
    """Names of schemas that are missing or differ from the models; also extra files."""
    wanted = generate()
    out = [
        n for n, text in wanted.items() if not (folder / n).exists() or (folder / n).read_text(encoding="utf-8") != text
    ]
    extra = [p.name for p in folder.glob("*.schema.json") if p.name not in wanted] if folder.is_dir() else []
    return sorted(out + extra)
