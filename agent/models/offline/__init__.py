"""Heuristics behind the offline model: planning tool calls and extracting fields."""
