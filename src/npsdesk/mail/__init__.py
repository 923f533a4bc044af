"""Outgoing mail: templates, message building, SMTP and file transports, the SMTP password."""
