"""Models of this module: data and invariants only."""
