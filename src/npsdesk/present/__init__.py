"""Terminal renderers shared by the CLI and the desk: plain text and Rich tables, no I/O."""
