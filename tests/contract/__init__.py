"""Reusable connector contract checks (see `connector_contract`)."""
