"""The `npsdesk` command: the group, its state and output helpers, one module per command family."""
