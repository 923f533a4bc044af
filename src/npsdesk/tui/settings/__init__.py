"""The sections of the team settings screen and its keys."""
