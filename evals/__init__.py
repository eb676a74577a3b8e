"""Golden-set evaluation of escalation decisions and brief quality (`escalate eval`)."""
