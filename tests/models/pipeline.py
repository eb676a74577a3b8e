"""The gather -> extract composition of `agent.service.run_brief`, over any tools, for model tests."""

from __future__ import annotations

from dataclasses import dataclass

from agent.extract.schema import Extraction
from agent.extract.step import ExtractOutcome, extract, extraction_tool_spec
from agent.gather.loop import GatherOutcome, gather, gather_turns
from agent.gather.tools import ConnectorTools
from agent.models.base import Model, RequestContext
from agent.prompting import gather_prompt, system_prompt
from tests.fakes.connectors import NOW

ACME = RequestContext(text="API returning 500 errors intermittently for Acme Corp", now=NOW, customer="Acme Corp")
FALLBACK = Extraction(summary="offline", problem="offline", description="offline", category="other")


@dataclass
class Run:
    """What one brief's model part did."""

    gathered: GatherOutcome
    extracted: ExtractOutcome

    @property
    def calls(self) -> int:
        """Model calls made (a retried 529 counts once: the SDK retries inside one call)."""
        return self.gathered.usage.calls + self.extracted.usage.calls


def run(model: Model, tools: ConnectorTools, context: RequestContext = ACME) -> Run:
    """Gather and extract as a brief does (same arguments as `run_brief`)."""
    turns = gather_turns(model)
    system = system_prompt(today=context.now.date().isoformat(), max_steps=turns)
    opening = gather_prompt(context.as_data(), list(tools.functions()))
    gathered = gather(model, tools, system, opening, turns, context=context, output_tool=extraction_tool_spec())
    extracted = extract(
        model,
        system,
        gathered.messages,
        lambda: FALLBACK,
        specs=gathered.specs,
        pending=gathered.output_call,
        failure=gathered.failure,
        context=context,
        cache_upto=gathered.cache_upto,
    )
    return Run(gathered, extracted)
