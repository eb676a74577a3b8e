"""Act: what happens after a brief, only on confirmation: write actions and their idempotency."""
