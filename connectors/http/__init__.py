"""REST adapters for the real vendors (one module each), all on the one shared HTTP client in
`client.py` with the retry policy in `retry.py`; `registry.py` maps backend names to them."""
