"""What every layer needs and that knows nothing of records: errors, diagnostics, atomic writes and the write lock, git plumbing, dates, "did you mean"."""
