"""Settings: where they live, the kinds of values and how file, environment and flags combine."""
