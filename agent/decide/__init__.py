"""Decide: deterministic facts, rules, severity, target, asks and impact under the policy. No model here."""
