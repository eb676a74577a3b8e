"""Training of the offline reader's learned parts from labelled requests."""
