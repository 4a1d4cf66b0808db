"""Changing a store: set and add with layout kept, new records from scaffolds, a new store, imports from and exports to spreadsheets, saving to git, the effective configuration."""
