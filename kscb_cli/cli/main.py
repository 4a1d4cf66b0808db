def main() -> None:  # replaced by the typer app
    raise SystemExit(0)
