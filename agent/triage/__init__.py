"""Batch triage of ticket queues: read a queue, triage every ticket durably, cluster repeated issues
across customers, and report.

Modules: `input` (queue files and the support platform), `keys` (idempotency keys), `store` (the
SQLite state), `ticket` (one ticket's triage), `limiter` (AIMD concurrency and back-off), `runner`
(the durable loop), `batch_api` (the Message Batches path), `cluster` and `patterns`
(cross-customer clusters and their escalation), `report` (the JSON report), `digest` (markdown
digest, terminal table, progress bar) and `session` (one run end to end, used by the CLI).
"""
