"""One triage run end to end: state, per-ticket work (direct or through batches), clusters, report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

from agent.atomic import write_text_atomically
from agent.decide.policy import Policy
from agent.extract.schema import Extraction
from agent.models.base import Model
from agent.render.markdown import render_markdown
from agent.triage.cluster import cluster_items
from agent.triage.input import Queue
from agent.triage.limiter import Clock
from agent.triage.patterns import cluster_views
from agent.triage.report import Outcome, brief_name
from agent.triage.runner import DEFAULT_CONCURRENCY, DEFAULT_MAX_ATTEMPTS, ProgressSink, Runner, RunStats, work_keys
from agent.triage.store import StateStore
from agent.triage.ticket import Lookup, TicketTriager
from connectors.base import Workspace

if TYPE_CHECKING:
    from agent.triage.batch_api import BatchOptions


@dataclass
class TriageSettings:
    """Everything a run is configured with."""

    policy: Policy
    model: Model
    workspace: Workspace | None
    now: datetime
    state: Path
    concurrency: int = DEFAULT_CONCURRENCY
    max_attempts: int = DEFAULT_MAX_ATTEMPTS
    clock: Clock | None = None
    progress: ProgressSink | None = None
    batch: BatchOptions | None = None
    fallback: bool = True
    """Triage a ticket with the offline reader when the model fails on it (retried on a later run)."""


class TriageSession:
    """Holds the state store and the per-ticket triager for one run. Close it when done."""

    def __init__(self, settings: TriageSettings) -> None:
        self.settings = settings
        self.store = StateStore(settings.state)
        lookup = Lookup(settings.workspace)
        self.triager = TicketTriager(lookup, settings.policy, settings.model, settings.now)
        from agent.models.offline.model import OfflineModel

        self.offline = TicketTriager(lookup, settings.policy, OfflineModel(), settings.now)
        """The offline reader: the fallback when the model fails on a ticket, and how its rows are read."""

    def close(self) -> None:
        """Close the state file."""
        self.store.close()

    def run(self, queue: Queue) -> Outcome:
        """Triage the queue (resuming whatever an earlier run left), then cluster and decide patterns."""
        s = self.settings
        stats: RunStats
        if s.batch is not None:
            from agent.triage.batch_api import BatchRunner

            keys = work_keys(queue.items, self.triager)
            fallback = self.offline.triage if s.fallback and not s.model.capabilities.in_process else None
            batch = BatchRunner(
                self.store, self.triager, s.batch, max_attempts=s.max_attempts, progress=s.progress, fallback=fallback
            )
            stats = batch.run(queue.items, keys)
        else:
            runner = Runner(
                self.store,
                self.triager,
                concurrency=s.concurrency,
                max_attempts=s.max_attempts,
                clock=s.clock,
                progress=s.progress,
                fallback=self.offline.triage if s.fallback and not s.model.capabilities.in_process else None,
            )
            stats = runner.run(queue.items)
            keys = work_keys(queue.items, self.triager)
        by_key = {k.key: tid for tid, k in keys.items()}
        states = {by_key[k]: st for k, st in self.store.states(by_key).items()}
        summaries = {by_key[k]: row for k, row in self.store.summaries(by_key).items()}
        groups = cluster_items(queue.items)
        views = cluster_views(queue.items, groups, summaries, self.triager, lambda tid: self._extraction(keys[tid].key))
        return Outcome(
            queue=queue,
            keys=keys,
            summaries=summaries,
            states=states,
            clusters=views,
            stats=stats,
            model=self.triager.model_name,
            workspace=self.triager.lookup.name,
            policy_version=s.policy.version,
            now=s.now.isoformat(),
        )

    def write_briefs(self, outcome: Outcome, out_dir: Path) -> list[Path]:
        """A markdown brief per escalated ticket and per pattern escalation, in `out_dir`."""
        written: list[Path] = []
        items = {item.id: item for item in outcome.queue.items}
        for ticket_id, summary in outcome.summaries.items():
            if not summary["escalate"] or ticket_id not in items:
                continue
            extraction = self._extraction(outcome.keys[ticket_id].key)
            if extraction is None:
                continue
            when = datetime.fromisoformat(summary["triaged_at"])
            triager = self.offline if summary.get("fallback") else self.triager
            result = triager.evaluate(items[ticket_id], extraction, now=when).result
            path = out_dir / brief_name("ticket", ticket_id)
            write_text_atomically(path, render_markdown(result))
            written.append(path)
        for view in outcome.clusters:
            if view.escalate and view.result is not None:
                path = out_dir / brief_name("cluster", view.id)
                write_text_atomically(path, render_markdown(view.result))
                written.append(path)
        return written

    def _extraction(self, key: str) -> Extraction | None:
        stored = self.store.extraction(key)
        if not stored:
            return None
        try:
            return Extraction.model_validate_json(stored)
        except ValidationError:
            return None  # written by another version; the key normally prevents this (schema in prompt_version)
