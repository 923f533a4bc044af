"""What the desk's keys do to a case or a selection, each calling the services."""
