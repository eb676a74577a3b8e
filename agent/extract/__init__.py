"""Extract: the `Extraction` schema and the step that has a model fill it, with repair and an offline fallback."""
