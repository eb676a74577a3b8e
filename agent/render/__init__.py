"""Render: the markdown brief, the JSON output contract, and the customer-facing drafts."""
