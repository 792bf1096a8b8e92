"""watchfloor: a sourced event database built from the news."""

__version__ = "0.1.0"
