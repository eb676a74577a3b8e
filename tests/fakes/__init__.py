"""Test doubles for external services (HTTP fakes on 127.0.0.1, in-memory connectors)."""
