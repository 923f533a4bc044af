"""The desk's screens: the three-pane desk, the dashboard, campaigns, a timeline, settings."""
