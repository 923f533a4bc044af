"""Plain-Python domain rules: no store, no UI."""
