-- Indexes for the non-text lookups: a ticket's timeline, a customer's tickets, threads, plans.

CREATE INDEX comments_by_ticket ON comments (ticket_id, created_at);
CREATE INDEX tickets_by_account ON tickets (account COLLATE NOCASE, created_at);
CREATE INDEX tickets_by_created ON tickets (created_at);
CREATE INDEX chat_messages_by_thread ON chat_messages (thread_id);
CREATE INDEX accounts_by_plan ON accounts (plan COLLATE NOCASE);
