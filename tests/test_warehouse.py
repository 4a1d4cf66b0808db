"""The warehouse through the real CLI, on generated stores: `kscb export --format parquet` and `kscb region`.

Counts are checked against answers computed another way: straight from the YAML files
(records, items, themes by year), from `kscb actions` (BRAG) and from the domain's clocks.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
import yaml
from conftest import bench_module, kscb_command

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")
pytest.importorskip("duckdb")

TODAY = "2026-04-01"
LEVEL = {"public": 0, "partnership": 1, "restricted": 2}


def _generate(root: Path, records: int, seed: int, short: str) -> Path:
    generate = bench_module("generate").generate
    generate(root, records, seed=seed)
    config = root / "kscb.yaml"
    config.write_text(config.read_text().replace("short_name: BSCP", f"short_name: {short}"))
    return root


@pytest.fixture(scope="module")
def stores(tmp_path_factory) -> list[Path]:
    base = tmp_path_factory.mktemp("region")
    return [_generate(base / name, n, seed, name) for name, n, seed in (("NORTH", 160, 1), ("SOUTH", 120, 2))]


def _yaml_records(root: Path, audience: str = "partnership") -> list[dict]:
    docs = [yaml.safe_load(p.read_text()) for p in sorted((root / "records").rglob("*.yaml"))]
    return [d for d in docs if LEVEL[d.get("classification", "partnership")] <= LEVEL[audience]]


def _table(folder: Path, name: str) -> list[dict]:
    return pq.read_table(folder / f"{name}.parquet").to_pylist()


def test_parquet_round_trip_rows_and_schema(stores, tmp_path, cli):
    from kscb_cli.warehouse.schema import TABLES, arrow_schema

    out = tmp_path / "north"
    result = cli("export", "--format", "parquet", "--out", str(out), "--store", str(stores[0]), "--as-of", TODAY)
    assert result.code == 0, result.err
    for name in TABLES:
        schema = pq.read_schema(out / f"{name}.parquet")
        assert schema.remove_metadata() == arrow_schema(pa, name).remove_metadata()
        assert schema.metadata[b"kscb.schema_version"] == b"1"
        assert schema.metadata[b"kscb.as_of"] == TODAY.encode()
    expected = _yaml_records(stores[0])
    records = _table(out, "records")
    assert [(r["kind"], r["id"]) for r in records] == sorted((d["kind"], d["id"]) for d in expected)
    assert {r["partnership"] for r in records} == {"NORTH"}
    by_id = {d["id"]: d for d in expected}
    for row in records:
        doc = by_id[row["id"]]
        assert (row["title"], row["status"], row["themes"]) == (doc["title"], doc["status"], doc.get("themes", []))
        assert dict(row["dates"]) == {k: v for k, v in doc.items() if isinstance(v, date)}
    if "review" in {d["kind"] for d in expected}:
        review = next(r for r in records if r["kind"] == "review")
        assert review["date"] == by_id[review["id"]]["decided"] and review["year"] == review["date"].year
    items = _table(out, "items")
    lists = ("findings", "recommendations", "actions", "standards", "training_needs")
    want = sorted(
        (d["id"], name, i, item["id"]) for d in expected for name in lists for i, item in enumerate(d.get(name, []))
    )
    assert [(r["record_id"], r["list_name"], r["position"], r["id"]) for r in items] == want
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["rows"] == {"records": len(records), "items": len(items), "clocks": len(_table(out, "clocks"))}
    assert manifest["left_out"] == len(_yaml_records(stores[0], "restricted")) - len(expected) > 0
    assert "left out" in result.err


def test_no_free_text_in_the_export(stores, tmp_path, cli):
    out = tmp_path / "north"
    assert cli("export", "-f", "parquet", "-o", str(out), "--store", str(stores[0]), "--as-of", TODAY).code == 0
    text = " ".join(str(pq.read_table(p).to_pylist()) for p in sorted(out.glob("*.parquet")))
    assert "Practitioners recorded concerns" not in text  # finding summaries
    assert "Head of Safeguarding" not in text  # action lead roles are free text
    columns = {c for p in out.glob("*.parquet") for c in pq.read_schema(p).names}
    assert not columns & {"subject", "summary", "text", "notes", "action", "updates", "evidence"}


def test_export_is_deterministic(stores, tmp_path, cli):
    for n in (1, 2):
        assert (
            cli(
                "export",
                "-f",
                "parquet",
                "-o",
                str(tmp_path / f"run{n}"),
                "--store",
                str(stores[1]),
                env={"KSCB_TODAY": TODAY},
            ).code
            == 0
        )
    names = sorted(p.name for p in (tmp_path / "run1").iterdir())
    assert names == ["clocks.parquet", "items.parquet", "manifest.json", "records.parquet"]
    for name in names:
        assert (tmp_path / "run1" / name).read_bytes() == (tmp_path / "run2" / name).read_bytes(), name


def _region(cli, *args: str) -> tuple[dict, str]:
    result = cli("region", *args, "--format", "json", "--as-of", TODAY)
    assert result.code == 0, result.err
    return json.loads(result.out), result.err


def test_region_matches_counts_computed_from_the_records(stores, cli):
    from kscb_cli.domain.clocks import clocks
    from kscb_cli.store.config import load_config
    from kscb_cli.store.store import Store

    answer, err = _region(cli, *map(str, stores))
    assert [row["partnership"] for row in answer["stores"]] == ["NORTH", "SOUTH"]
    themes: Counter = Counter()
    for root, name in zip(stores, ("NORTH", "SOUTH")):
        docs = _yaml_records(root)
        store_row = next(r for r in answer["stores"] if r["partnership"] == name)
        assert store_row["records"] == len(docs) and store_row["unreadable"] == 0
        # BRAG: the tracker's own answer, `kscb actions`
        actions = json.loads(cli("actions", "--store", str(root), "--as-of", TODAY, "-f", "json").out)["actions"]
        brag = Counter(a["brag"] for a in actions)
        row = next(r for r in answer["actions_by_brag"] if r["partnership"] == name)
        assert {k: row[k] for k in brag} == dict(brag) and row["total"] == len(actions)
        # themes by year, from the YAML: a review by its decided year, an audit by reported (else planned)
        for d in docs:
            if d["kind"] in ("review", "audit"):
                day = d.get("decided") or d.get("reported") or d.get("planned")
                found = set(d.get("themes", [])) | {t for f in d.get("findings", []) for t in f.get("themes", [])}
                themes.update((t, day.year) for t in found)
        # clocks: the domain's, less those of records the audience may not see
        store = Store.open(root, config=load_config(root), positions=False)
        hidden = {r.id for r in store.records if r.classification == "restricted"}
        states = Counter(c.state for c in clocks(store, date.fromisoformat(TODAY)) if c.record_id not in hidden)
        row = next(r for r in answer["clocks_missed"] if r["partnership"] == name)
        assert (row["met"], row["missed"], row["overdue"]) == (states["met"], states["missed"], states["overdue"])
        assert row["open"] == states["running"] + states["due_soon"] and row["clocks"] == sum(states.values())
    assert {(r["theme"], r["year"]): r["records"] for r in answer["themes_by_year"]} == dict(themes)
    assert "exported" in err


def test_region_reads_exports_and_keeps_a_cache(stores, tmp_path, cli):
    first, _ = _region(cli, *map(str, stores), "--cache", str(tmp_path / "cache"))
    assert (tmp_path / "cache" / "000" / "records.parquet").is_file()
    again, err = _region(cli, str(tmp_path / "cache" / "000"), str(tmp_path / "cache" / "001"))
    assert again == first and "read" in err


def test_a_broken_record_is_reported_not_dropped(stores, tmp_path, cli):
    import shutil

    broken = tmp_path / "broken"
    shutil.copytree(stores[1], broken)
    config = broken / "kscb.yaml"
    config.write_text(config.read_text().replace("short_name: SOUTH", "short_name: EAST"))
    victim = sorted((broken / "records" / "reviews").glob("*.yaml"))[0]
    victim.write_text("kind: review\nid: " + victim.stem + "\ntitle: [not closed\n")
    answer, err = _region(cli, str(stores[1]), str(broken))
    rows = {r["partnership"]: r for r in answer["stores"]}
    assert rows["EAST"]["unreadable"] == 1 and rows["SOUTH"]["unreadable"] == 0
    assert rows["EAST"]["records"] == rows["SOUTH"]["records"] - 1
    assert "WARNING EAST: 1 record file could not be read: NOT in the export" in err
    out = tmp_path / "east"
    exported = cli("export", "-f", "parquet", "-o", str(out), "--store", str(broken), "--as-of", TODAY)
    assert exported.code == 0 and victim.relative_to(broken).as_posix() in exported.err
    assert json.loads((out / "manifest.json").read_text())["unread"] == [victim.relative_to(broken).as_posix()]


def test_audience_decides_what_leaves(stores, tmp_path, cli):
    counts = {}
    for audience in ("public", "partnership", "restricted"):
        out = tmp_path / audience
        assert (
            cli(
                "export",
                "-f",
                "parquet",
                "-o",
                str(out),
                "--store",
                str(stores[1]),
                "--audience",
                audience,
                "--as-of",
                TODAY,
            ).code
            == 0
        )
        rows = _table(out, "records")
        assert all(LEVEL[r["classification"]] <= LEVEL[audience] for r in rows)
        counts[audience] = len(rows)
        if audience != "restricted":
            hidden = {d["id"] for d in _yaml_records(stores[1], "restricted")} - {r["id"] for r in rows}
            assert not hidden & {r["record_id"] for r in _table(out, "clocks") + _table(out, "items")}
    assert (
        counts["public"] < counts["partnership"] < counts["restricted"] == len(_yaml_records(stores[1], "restricted"))
    )


def test_usage_errors(stores, tmp_path, cli):
    store = str(stores[1])
    assert "--out DIR" in cli("export", "-f", "parquet", "--store", store).err
    assert "leave out KIND" in cli("export", "review", "-f", "parquet", "-o", str(tmp_path / "x"), "--store", store).err
    assert "give the KIND" in cli("export", "--store", store).err
    bad = cli("region", store, "--query", "nope")
    assert bad.code == 2 and "stores, actions_by_brag" in bad.err
    assert "csv holds one table" in cli("region", store, "-f", "csv").err
    same = cli("region", store, store, "--as-of", TODAY)
    assert same.code == 2 and "both partnership 'SOUTH'" in same.err
    csv = cli("region", store, "-q", "clocks_missed", "-f", "csv", "--as-of", TODAY)
    assert csv.code == 0 and csv.out.splitlines()[0] == "partnership,clocks,met,missed,overdue,open,statutory_missed"


@pytest.mark.parametrize("module", ["pyarrow", "duckdb"])
def test_missing_dependency_is_a_clean_error(stores, tmp_path, cli, monkeypatch, module):
    monkeypatch.setitem(sys.modules, module, None)  # import raises ImportError, as when it is not installed
    if module == "pyarrow":
        monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
        result = cli("export", "-f", "parquet", "-o", str(tmp_path / "x"), "--store", str(stores[1]))
        assert not (tmp_path / "x").exists()
    else:
        result = cli("region", str(stores[1]))
    assert result.code == 2
    assert (
        result.err
        == f"kscb: {module} is needed for the warehouse commands and is not installed: pip install 'kscb[warehouse]'\n"
    )


def test_lake_layout_is_partitioned_by_partnership_and_kind(stores, tmp_path, cli):
    import pyarrow.dataset as ds

    answer, _ = _region(cli, *map(str, stores), "--lake", str(tmp_path / "lake"), "-q", "stores")
    folders = sorted(p.relative_to(tmp_path / "lake").as_posix() for p in (tmp_path / "lake" / "records").glob("*/*"))
    assert "records/partnership=NORTH/kind=review" in folders and "records/partnership=SOUTH/kind=agency" in folders
    one = next((tmp_path / "lake" / "records" / "partnership=NORTH" / "kind=review").glob("*.parquet"))
    assert "partnership" not in pq.read_schema(one).names  # the path carries it, as Hive, Spark and Trino expect
    for table in ("records", "items", "clocks"):
        data = ds.dataset(tmp_path / "lake" / table, format="parquet", partitioning="hive").to_table()
        counts = Counter(data.column("partnership").to_pylist())
        assert counts == {r["partnership"]: r[table] for r in answer["stores"]}


def _kscb(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    environ = {**os.environ, "KSCB_TODAY": TODAY}
    return subprocess.run([*kscb_command(), *args], cwd=cwd, env=environ, capture_output=True, text=True)


def test_the_lake_is_replaced_not_merged(stores, tmp_path):
    """DuckDB's OVERWRITE_OR_IGNORE kept every partition a new run did not write: after a run
    with --audience restricted, a run for the partnership left the restricted kinds' records
    (child deaths, notifications, rapid reviews) in the lake for Spark or Trino to read."""
    import pyarrow.dataset as ds

    lake = tmp_path / "lake"
    wide = _kscb(
        "region", *map(str, stores), "--lake", str(lake), "-q", "stores", "--audience", "restricted", cwd=tmp_path
    )
    assert wide.returncode == 0, wide.stderr
    narrow = _kscb("region", *map(str, stores), "--lake", str(lake), "-q", "stores", cwd=tmp_path)
    assert narrow.returncode == 0, narrow.stderr
    records = ds.dataset(lake / "records", format="parquet", partitioning="hive").to_table()
    assert "restricted" not in set(records.column("classification").to_pylist())
    assert sorted(p.name for p in lake.iterdir()) == ["clocks", "items", "records"]
    ids = set(records.column("id").to_pylist())
    items = ds.dataset(lake / "items", format="parquet", partitioning="hive").to_table().to_pylist()
    clocks = ds.dataset(lake / "clocks", format="parquet", partitioning="hive").to_table().to_pylist()
    assert {r["record_id"] for r in items} <= ids
    assert {r["record_id"] for r in clocks if r["record_kind"] != "partnership"} <= ids


def test_the_lake_never_replaces_a_folder_it_did_not_write(stores, tmp_path):
    """`--lake .` in a store would have written partition folders into the store's records/;
    it is refused, and records/ is untouched."""
    store = stores[1]
    before = sorted(p.relative_to(store).as_posix() for p in (store / "records").rglob("*"))
    result = _kscb("region", ".", "--lake", ".", "-q", "stores", cwd=store)
    assert result.returncode == 2 and "--lake replaces it whole" in result.stderr
    assert sorted(p.relative_to(store).as_posix() for p in (store / "records").rglob("*")) == before


def test_an_export_for_a_wider_audience_is_refused_by_region(stores, tmp_path):
    """An export folder given as it is was "used as it is" whatever its audience: a region
    asked for the partnership (or the public) counted the restricted records of an export
    made with --audience restricted, under a heading that said partnership."""
    wide = tmp_path / "wide"
    made = _kscb(
        "export", "-f", "parquet", "-o", str(wide), "--store", str(stores[1]), "--audience", "restricted", cwd=tmp_path
    )
    assert made.returncode == 0, made.stderr
    for audience in ("public", "partnership"):
        refused = _kscb("region", str(wide), "-q", "stores", "--audience", audience, cwd=tmp_path)
        assert refused.returncode == 2 and refused.stdout == ""
        assert f"is an export for restricted, which sees more than --audience {audience}" in refused.stderr
    allowed = _kscb("region", str(wide), "-q", "stores", "--audience", "restricted", "-f", "json", cwd=tmp_path)
    assert allowed.returncode == 0 and json.loads(allowed.stdout)["audience"] == "restricted"


def test_region_over_exports_says_the_day_they_were_made_for(stores, tmp_path):
    """The heading said the day region ran (or --as-of), not the day the counts were made for."""
    folder = tmp_path / "north"
    assert _kscb("export", "-f", "parquet", "-o", str(folder), "--store", str(stores[0]), cwd=tmp_path).returncode == 0
    later = _kscb("region", str(folder), "-q", "stores", "-f", "json", "--as-of", "2026-05-01", cwd=tmp_path)
    assert later.returncode == 0 and f"as of {TODAY}" in later.stderr
    assert json.loads(later.stdout)["as_of"] == TODAY


def test_a_damaged_manifest_or_a_folder_that_is_neither_is_a_clear_error(stores, tmp_path):
    """A manifest without its audience (hand-edited, half copied) was an internal error (exit 3);
    a folder that is neither a store nor an export was told to check --store, which region has not."""
    folder = tmp_path / "north"
    assert _kscb("export", "-f", "parquet", "-o", str(folder), "--store", str(stores[0]), cwd=tmp_path).returncode == 0
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    for damaged in ({k: v for k, v in manifest.items() if k != "audience"}, {**manifest, "rows": {}}):
        (folder / "manifest.json").write_text(json.dumps(damaged), encoding="utf-8")
        result = _kscb("region", str(folder), "-q", "stores", cwd=tmp_path)
        assert result.returncode == 2 and "not a whole kscb warehouse manifest" in result.stderr
        assert "internal error" not in result.stderr
    (tmp_path / "empty").mkdir()
    neither = _kscb("region", str(tmp_path / "empty"), cwd=tmp_path)
    assert neither.returncode == 2
    assert "is neither a store (no kscb.yaml) nor a folder written by `kscb export --format parquet`" in neither.stderr


def test_an_export_into_records_is_refused(stores, tmp_path):
    """`--out records/warehouse` wrote three binary files among the records: every later lint
    failed on them (T003), and `kscb today` listed them as records with errors."""
    store = stores[1]
    result = _kscb("export", "-f", "parquet", "-o", "records/warehouse", cwd=store)
    assert result.returncode == 2 and "is inside the store's records/" in result.stderr
    assert not (store / "records" / "warehouse").exists()
