-- requires: fts5
-- Full-text indexes over the searchable text, kept in sync by triggers. External-content tables
-- store no second copy of the text; 'rebuild' indexes rows that existed before this migration.

CREATE VIRTUAL TABLE tickets_fts USING fts5(
    subject, description, tags, product_area, account, tracker_keys,
    content='tickets', content_rowid='rowid', tokenize='porter unicode61 remove_diacritics 2'
);
CREATE TRIGGER tickets_fts_ai AFTER INSERT ON tickets BEGIN
    INSERT INTO tickets_fts (rowid, subject, description, tags, product_area, account, tracker_keys)
    VALUES (new.rowid, new.subject, new.description, new.tags, new.product_area, new.account, new.tracker_keys);
END;
CREATE TRIGGER tickets_fts_ad AFTER DELETE ON tickets BEGIN
    INSERT INTO tickets_fts (tickets_fts, rowid, subject, description, tags, product_area, account, tracker_keys)
    VALUES ('delete', old.rowid, old.subject, old.description, old.tags, old.product_area, old.account, old.tracker_keys);
END;
CREATE TRIGGER tickets_fts_au AFTER UPDATE ON tickets BEGIN
    INSERT INTO tickets_fts (tickets_fts, rowid, subject, description, tags, product_area, account, tracker_keys)
    VALUES ('delete', old.rowid, old.subject, old.description, old.tags, old.product_area, old.account, old.tracker_keys);
    INSERT INTO tickets_fts (rowid, subject, description, tags, product_area, account, tracker_keys)
    VALUES (new.rowid, new.subject, new.description, new.tags, new.product_area, new.account, new.tracker_keys);
END;
INSERT INTO tickets_fts (tickets_fts) VALUES ('rebuild');

CREATE VIRTUAL TABLE comments_fts USING fts5(
    body,
    content='comments', content_rowid='rowid', tokenize='porter unicode61 remove_diacritics 2'
);
CREATE TRIGGER comments_fts_ai AFTER INSERT ON comments BEGIN
    INSERT INTO comments_fts (rowid, body) VALUES (new.rowid, new.body);
END;
CREATE TRIGGER comments_fts_ad AFTER DELETE ON comments BEGIN
    INSERT INTO comments_fts (comments_fts, rowid, body) VALUES ('delete', old.rowid, old.body);
END;
CREATE TRIGGER comments_fts_au AFTER UPDATE ON comments BEGIN
    INSERT INTO comments_fts (comments_fts, rowid, body) VALUES ('delete', old.rowid, old.body);
    INSERT INTO comments_fts (rowid, body) VALUES (new.rowid, new.body);
END;
INSERT INTO comments_fts (comments_fts) VALUES ('rebuild');

CREATE VIRTUAL TABLE chat_messages_fts USING fts5(
    text, channel, author,
    content='chat_messages', content_rowid='rowid', tokenize='porter unicode61 remove_diacritics 2'
);
CREATE TRIGGER chat_messages_fts_ai AFTER INSERT ON chat_messages BEGIN
    INSERT INTO chat_messages_fts (rowid, text, channel, author)
    VALUES (new.rowid, new.text, new.channel, new.author);
END;
CREATE TRIGGER chat_messages_fts_ad AFTER DELETE ON chat_messages BEGIN
    INSERT INTO chat_messages_fts (chat_messages_fts, rowid, text, channel, author)
    VALUES ('delete', old.rowid, old.text, old.channel, old.author);
END;
CREATE TRIGGER chat_messages_fts_au AFTER UPDATE ON chat_messages BEGIN
    INSERT INTO chat_messages_fts (chat_messages_fts, rowid, text, channel, author)
    VALUES ('delete', old.rowid, old.text, old.channel, old.author);
    INSERT INTO chat_messages_fts (rowid, text, channel, author)
    VALUES (new.rowid, new.text, new.channel, new.author);
END;
INSERT INTO chat_messages_fts (chat_messages_fts) VALUES ('rebuild');

CREATE VIRTUAL TABLE tracker_issues_fts USING fts5(
    key, title, description, labels, linked_tickets,
    content='tracker_issues', content_rowid='rowid', tokenize='porter unicode61 remove_diacritics 2'
);
CREATE TRIGGER tracker_issues_fts_ai AFTER INSERT ON tracker_issues BEGIN
    INSERT INTO tracker_issues_fts (rowid, key, title, description, labels, linked_tickets)
    VALUES (new.rowid, new.key, new.title, new.description, new.labels, new.linked_tickets);
END;
CREATE TRIGGER tracker_issues_fts_ad AFTER DELETE ON tracker_issues BEGIN
    INSERT INTO tracker_issues_fts (tracker_issues_fts, rowid, key, title, description, labels, linked_tickets)
    VALUES ('delete', old.rowid, old.key, old.title, old.description, old.labels, old.linked_tickets);
END;
CREATE TRIGGER tracker_issues_fts_au AFTER UPDATE ON tracker_issues BEGIN
    INSERT INTO tracker_issues_fts (tracker_issues_fts, rowid, key, title, description, labels, linked_tickets)
    VALUES ('delete', old.rowid, old.key, old.title, old.description, old.labels, old.linked_tickets);
    INSERT INTO tracker_issues_fts (rowid, key, title, description, labels, linked_tickets)
    VALUES (new.rowid, new.key, new.title, new.description, new.labels, new.linked_tickets);
END;
INSERT INTO tracker_issues_fts (tracker_issues_fts) VALUES ('rebuild');

CREATE VIRTUAL TABLE articles_fts USING fts5(
    title, body, tags,
    content='articles', content_rowid='rowid', tokenize='porter unicode61 remove_diacritics 2'
);
CREATE TRIGGER articles_fts_ai AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts (rowid, title, body, tags) VALUES (new.rowid, new.title, new.body, new.tags);
END;
CREATE TRIGGER articles_fts_ad AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, body, tags)
    VALUES ('delete', old.rowid, old.title, old.body, old.tags);
END;
CREATE TRIGGER articles_fts_au AFTER UPDATE ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, body, tags)
    VALUES ('delete', old.rowid, old.title, old.body, old.tags);
    INSERT INTO articles_fts (rowid, title, body, tags) VALUES (new.rowid, new.title, new.body, new.tags);
END;
INSERT INTO articles_fts (articles_fts) VALUES ('rebuild');
