"""Time `kscb region` over many generated stores: the Parquet export and the DuckDB queries apart.

    .venv/bin/python bench/region.py                      # 20 stores of 2,000 records
    .venv/bin/python bench/region.py --stores 20 --records 10000 --repeat 3

Each store is bench/generate.py's synthetic store with a seed and a partnership of its own
(P01, P02, ...). Figures are medians of --repeat runs, each a fresh process:

- export, cold: `kscb region STORE... --cache C --query stores` with an empty parsed-record
  cache, so every store is read from YAML, validated and written as Parquet;
- export, warm: the same with the parsed-record cache filled (unchanged files are not parsed);
- query: `kscb region C/000 ... C/NNN` over the exports (every query, nothing exported);
- query in process: `kscb_cli.warehouse.region.run` over the exports, DuckDB alone;
- with --replicate N: the same queries over N exports made from those (each a copy of one
  with its partnership renamed), for a national number of partnerships without N stores.

Needs the warehouse extra (pyarrow, duckdb). Nothing here is a test.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bytecode import compile_kscb  # noqa: E402
from generate import generate  # noqa: E402

TODAY = "2026-04-01"
KSCB = [sys.executable, "-m", "kscb_cli"]


def make_stores(base: Path, stores: int, records: int) -> list[Path]:
    """`stores` generated stores under base (reused when already there with the same size)."""
    out = []
    for n in range(1, stores + 1):
        root = base / f"P{n:02d}"
        mark = root / ".bench-records"
        if not (mark.is_file() and mark.read_text() == str(records)):
            generate(root, records, seed=n)
            config = root / "kscb.yaml"
            config.write_text(config.read_text().replace("short_name: BSCP", f"short_name: P{n:02d}"))
            mark.write_text(str(records))
        out.append(root)
    return out


def run(args: list[str], cache: Path) -> float:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache), "KSCB_TODAY": TODAY}
    start = time.perf_counter()
    done = subprocess.run([*KSCB, *args], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    took = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"kscb {' '.join(args[:3])} ... failed ({done.returncode}): {done.stderr[-2000:]}")
    return took


def median(label: str, runs: list[float]) -> float:
    value = statistics.median(runs)
    print(f"{label:<44} {value:8.2f} s   (runs: {', '.join(f'{r:.2f}' for r in runs)})", flush=True)
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stores", type=int, default=20)
    parser.add_argument("--records", type=int, default=2000, help="records per store")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--replicate", type=int, default=0, help="also query N copies of the exports (e.g. 150)")
    parser.add_argument("--dir", type=Path, default=HERE / "out" / "region", help="where the stores are generated")
    args = parser.parse_args()
    compile_kscb()  # timed as an installed kscb runs: from bytecode (bench/bytecode.py)

    start = time.perf_counter()
    stores = make_stores(args.dir, args.stores, args.records)
    print(f"{args.stores} stores x {args.records} records under {args.dir} ({time.perf_counter() - start:.1f} s)")
    names = [str(s) for s in stores]
    with tempfile.TemporaryDirectory(prefix="kscb-bench-region-") as scratch:
        work = Path(scratch)
        exports = work / "exports"
        cold = []
        for i in range(args.repeat):
            cold.append(run(["region", *names, "--cache", str(exports), "-q", "stores"], work / f"cold{i}"))
        median(f"export {args.stores} stores, cold", cold)
        warm_cache = work / "warm"
        run(["region", *names, "--cache", str(exports), "-q", "stores"], warm_cache)
        warm = [
            run(["region", *names, "--cache", str(exports), "-q", "stores"], warm_cache) for _ in range(args.repeat)
        ]
        median(f"export {args.stores} stores, warm cache", warm)
        folders = sorted(exports.iterdir())
        size = sum(f.stat().st_size for folder in folders for f in folder.iterdir())
        print(f"{'Parquet written':<44} {size / 1e6:8.2f} MB in {len(folders)} folders")
        query = [run(["region", *map(str, folders), "--format", "json"], warm_cache) for _ in range(args.repeat)]
        median("query (kscb region over the exports)", query)
        median("query in process (DuckDB alone)", [_in_process(folders) for _ in range(args.repeat)])
        if args.replicate:
            copies = _replicate(folders, work / "copies", args.replicate)
            size = sum(f.stat().st_size for folder in copies for f in folder.iterdir())
            records = args.replicate * args.records
            print(f"{args.replicate} partnerships ({records:,} records' worth, {size / 1e6:.1f} MB of Parquet)")
            median(
                f"query in process, {args.replicate} partnerships", [_in_process(copies) for _ in range(args.repeat)]
            )


def _replicate(folders: list[Path], target: Path, n: int) -> list[Path]:
    """n export folders, the i-th a copy of folders[i % len] with partnership C<i>."""
    import json

    import duckdb

    from kscb_cli.warehouse.schema import TABLES

    out = []
    con = duckdb.connect()
    for i in range(n):
        source, folder = folders[i % len(folders)], target / f"C{i:03d}"
        folder.mkdir(parents=True)
        for table in TABLES:
            con.execute(
                f"COPY (SELECT * REPLACE ('C{i:03d}' AS partnership) FROM read_parquet('{source}/{table}.parquet')) "
                f"TO '{folder}/{table}.parquet' (FORMAT parquet)"
            )
        manifest = json.loads((source / "manifest.json").read_text())
        (folder / "manifest.json").write_text(json.dumps({**manifest, "partnership": f"C{i:03d}"}))
        out.append(folder)
    con.close()
    return out


def _in_process(folders: list[Path]) -> float:
    from kscb_cli.warehouse.parquet import read_manifest
    from kscb_cli.warehouse.region import run as query

    manifests = [read_manifest(f) for f in folders]
    start = time.perf_counter()
    answers = query(folders, [m for m in manifests if m is not None])
    took = time.perf_counter() - start
    assert len(answers["stores"]) == len(folders)
    return took


if __name__ == "__main__":
    main()
