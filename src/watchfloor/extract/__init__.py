"""Extract: actors, weapons, dates, events, modality, quotes and claims from a document."""
