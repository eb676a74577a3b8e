"""Connectors: read-only access to the support platform, CRM, chat, tracker and knowledge base."""
