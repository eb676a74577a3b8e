"""escalate: turns a customer-support issue into an escalation brief with explainable decisions."""

__version__ = "0.1.0"
