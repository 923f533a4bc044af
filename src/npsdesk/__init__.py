"""npsdesk: close the loop on NPS surveys from the terminal."""

__version__ = "0.1.0"
