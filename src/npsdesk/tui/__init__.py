"""The desk: a Textual front door onto the same services the CLI uses."""
