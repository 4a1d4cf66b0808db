"""The typer commands: each parses its options, calls one core function, picks a reporter and sets the exit code."""
