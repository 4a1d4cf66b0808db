"""The warehouse: a store as Parquet tables (records, items, clocks) and DuckDB queries over many.

One store per partnership exports its Parquet (``kscb export --format parquet``); DuckDB on
one machine reads many exports at once (``kscb region``); beyond one machine the same files
are read by Spark or Trino (docs/warehouse.md). pyarrow and duckdb are the ``warehouse``
extra and are imported only inside the functions that need them (``deps.need``).
"""
