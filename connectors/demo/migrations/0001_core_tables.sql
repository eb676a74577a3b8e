-- Core tables: one per record kind. Lists are stored as JSON arrays, datetimes as UTC ISO 8601
-- text (so string order is time order), dates as YYYY-MM-DD.

CREATE TABLE workspace_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
INSERT INTO workspace_meta (key, value) VALUES ('format', 'escalate-workspace');

CREATE TABLE accounts (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    domain TEXT,
    plan TEXT,
    segment TEXT,
    arr REAL,
    renewal_date TEXT,
    csm TEXT,
    contacts TEXT NOT NULL DEFAULT '[]',
    reference_customer INTEGER NOT NULL DEFAULT 0,
    open_deals TEXT NOT NULL DEFAULT '[]',
    past_escalations TEXT NOT NULL DEFAULT '[]',
    health TEXT,
    url TEXT
);

CREATE TABLE tickets (
    id TEXT PRIMARY KEY,
    subject TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'open',
    priority TEXT,
    requester TEXT,
    account TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT,
    sla_due_at TEXT,
    tags TEXT NOT NULL DEFAULT '[]',
    product_area TEXT,
    tracker_keys TEXT NOT NULL DEFAULT '[]',
    url TEXT
);

CREATE TABLE comments (
    id TEXT PRIMARY KEY,
    ticket_id TEXT NOT NULL,
    author TEXT NOT NULL,
    author_role TEXT NOT NULL DEFAULT 'agent',
    public INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    body TEXT NOT NULL,
    url TEXT
);

CREATE TABLE chat_messages (
    id TEXT PRIMARY KEY,
    channel TEXT NOT NULL,
    author TEXT NOT NULL,
    posted_at TEXT NOT NULL,
    text TEXT NOT NULL,
    thread_id TEXT,
    reply_count INTEGER NOT NULL DEFAULT 0,
    url TEXT
);

CREATE TABLE tracker_issues (
    key TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    issue_type TEXT NOT NULL DEFAULT 'bug',
    status TEXT NOT NULL DEFAULT 'open',
    resolved INTEGER NOT NULL DEFAULT 0,
    assignee TEXT,
    team TEXT,
    priority TEXT,
    labels TEXT NOT NULL DEFAULT '[]',
    linked_tickets TEXT NOT NULL DEFAULT '[]',
    created_at TEXT,
    resolved_at TEXT,
    description TEXT NOT NULL DEFAULT '',
    regression_of TEXT,
    url TEXT
);

CREATE TABLE articles (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    article_type TEXT NOT NULL DEFAULT 'how_to',
    status TEXT,
    body TEXT NOT NULL DEFAULT '',
    updated_at TEXT,
    tags TEXT NOT NULL DEFAULT '[]',
    url TEXT
);
