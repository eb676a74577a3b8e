-- The escalation ledger: one row per escalation, its open obligations, the SLA due times of its
-- tickets as recorded, what was posted, and an append-only history.

CREATE TABLE escalations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    key TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'deescalated', 'closed')),
    escalate INTEGER NOT NULL,
    severity TEXT,
    target_team TEXT,
    priority TEXT,
    summary TEXT NOT NULL,
    product_area TEXT,
    workspace TEXT,
    request TEXT NOT NULL,
    tickets TEXT NOT NULL,
    tracker_keys TEXT NOT NULL,
    snapshot TEXT NOT NULL,
    brief TEXT NOT NULL,
    fixed INTEGER NOT NULL DEFAULT 0,
    learnings TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    closed_at TEXT
);

-- Recording the same escalation again updates it, unless it was closed: then it is a recurrence.
CREATE UNIQUE INDEX escalations_live_key ON escalations (key) WHERE status != 'closed';
CREATE INDEX escalations_status ON escalations (status);

CREATE TABLE obligations (
    escalation_id INTEGER NOT NULL REFERENCES escalations (id),
    kind TEXT NOT NULL CHECK (kind IN ('internal', 'customer')),
    due_at TEXT NOT NULL,
    PRIMARY KEY (escalation_id, kind)
);
CREATE INDEX obligations_due ON obligations (due_at);

CREATE TABLE sla (
    escalation_id INTEGER NOT NULL REFERENCES escalations (id),
    ticket_id TEXT NOT NULL,
    due_at TEXT NOT NULL,
    PRIMARY KEY (escalation_id, ticket_id)
);

CREATE TABLE posts (
    escalation_id INTEGER NOT NULL REFERENCES escalations (id),
    kind TEXT NOT NULL,
    due_at TEXT NOT NULL,
    channel TEXT NOT NULL,
    reference TEXT NOT NULL,
    posted_at TEXT NOT NULL,
    PRIMARY KEY (escalation_id, kind, due_at)
);

CREATE TABLE events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    escalation_id INTEGER NOT NULL REFERENCES escalations (id),
    at TEXT NOT NULL,
    kind TEXT NOT NULL,
    actor TEXT,
    data TEXT NOT NULL
);
CREATE INDEX events_escalation ON events (escalation_id, id);

CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN
    SELECT RAISE(ABORT, 'the event history is append-only');
END;

CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN
    SELECT RAISE(ABORT, 'the event history is append-only');
END;
