"""Gather: read-only connector tools, the prefetch and the model's tool loop that collect the records a brief rests on."""
