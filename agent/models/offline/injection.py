"""Detectors for instruction-like text inside ticket, chat and KB data: reported, never obeyed."""

from __future__ import annotations

import re

from agent.models.offline.text import WORD_START

ADDRESSED_TO_AI = re.compile(
    WORD_START + r"(?:ignore (?:all |any )?(?:previous|prior|above|earlier) (?:instructions|prompts?|rules)|"
    r"(?:^|(?<=[\s.!?\])]))(?:assistant|system|ai|bot|chatbot|model|escalation bot)\s*:|"
    r"system prompt (?:update|override|change|injection)|(?:policy|severity|priority|triage|safety) override|"
    r"developer mode|(?:important |urgent )?(?:note|notice|instructions?|message) (?:to|for) the (?:\S+ )?(?:tool|assistant|ai|bot|model|"
    r"system|reader|classifier)\b|(?:mark|classify|label|treat|flag) (?:this|it) as (?:a |an )?(?:critical|p[0-4]|urgent|high|low|medium|"
    r"handle|handled|resolved|support|sev)|(?:verdict|decision|classification) ?: ?(?:handle|escalate|critical)|disregard (?:the |your |all )?"
    r"(?:previous |prior )?(?:instructions|rules|system prompt)|^\s*(?:system|assistant)\s*:|system override|you are now|"
    r"new instructions?:|(?:system|admin|security|platform) (?:notice|message|note|instruction)s?\b|\bto (?:the |any |our )?"
    r"(?:ai|llm|gpt)\b|(?:note|notice|memo|message|instructions?|attention|hey|hi|dear)[,:]? (?:to |for )?(?:the |any |our )?(?:ai|llm|"
    r"gpt|assistant|bot|model|triage (?:ai|bot|assistant|system)|escalation (?:ai|bot|assistant|system))\b|\bas an ai\b|"
    r"<!--|-->|(?:this )?instructions? (?:comes?|is|are) from|(?:escalate|severity|target_team|priority)\s*=)",
    re.IGNORECASE | re.MULTILINE,
)
"""Text written to an AI reading the ticket (role-play turns, prompt updates, orders to classify): always an
injection attempt, wherever it appears, the request included."""
TRANSCRIPT_MARKER = re.compile(
    r"</?\s*(?:ticket|system|user|assistant|human|ai|context|document|instructions?|prompt|message|conversation|"
    r"transcript|im_start|im_end|data|input|output)\b[^<>\n]{0,40}>|<\|[a-z_]{2,20}\|>|\[/?(?:inst|sys)\]",
    re.IGNORECASE,
)
"""Markup that pretends to open or close a part of a model's transcript: never content, always dropped."""
ROLE_BLOCK = re.compile(
    r"<\s*(system|assistant|instructions?|prompt)\b[^<>\n]{0,40}>(?:.*?)(?:<\s*/\s*\1\s*>|(?=\n\s*\n)|\Z)|"
    r"<\|im_start\|>\s*(?:system|assistant)\b.*?(?:<\|im_end\|>|(?=\n\s*\n)|\Z)|\[inst\].*?(?:\[/inst\]|(?=\n\s*\n)|\Z)",
    re.IGNORECASE | re.DOTALL,
)
"""A fake system, assistant or instruction block, from its opening marker to its closing one (or the end of
the paragraph): everything inside is addressed to a model, whatever it says."""
USER_TURN = re.compile(r"(?:^|(?<=[\s.!?]))(?:user|human)\s*:", re.IGNORECASE)
"""A fake user turn: an injection only where a fake assistant or system turn is present too."""
COMMANDS = re.compile(
    WORD_START
    + r"(?:mark (?:this|it) (?:as )?(?:critical|p1|urgent|high|low|medium)|mark (?:this |it )?as (?:an? )?(?:outage|incident|"
    r"breach|critical|p[1-4]|urgent|sev ?[1-4])\b|#{2,4}\s*(?:system|instructions?)\s*:|"
    r"\[\[\s*(?:assistant|system)\s*\]\]|(?:begin|end) (?:of )?(?:the )?system prompt|"
    r"escalate (?:this |it )?as (?:an? )?(?:critical|high|p[1-4]|urgent|sev ?[1-4])\b|"
    r"[\"']role[\"']\s*:\s*[\"'](?:system|assistant)[\"']|set (?:the )?(?:severity|priority|target)\b|"
    r"escalate (?:this |it )?(?:immediately|right now|right away|asap)\b|(?:page|wake up|"
    r"call) the (?:ceo|cto|on-?call)|post (?:this )?(?:to|in) #\w+|escalate (?:this |it )?(?:immediately |right now |now )?to "
    r"(?:leadership|the ceo|security|management)\b(?! or\b)|classify (?:this|it) as|(?:do not|don't) escalate|handle it in "
    r"support and|treat (?:this|it) as (?:a |an )?(?:critical|p1|p2|urgent|high|low|medium|security|sev)|\byou (?:must|should|"
    r"need to|have to)\b[^.]{0,40}\b(?:treat|mark|classify|label|escalate|set|rate|route|flag|prioriti[sz]e|downgrade|"
    r"upgrade)\b|(?:do not|don't) (?:mention|include|report|tell anyone about)\b)",
    re.IGNORECASE | re.MULTILINE,
)
"""Orders about how to classify or route the issue: from ticket, chat or KB text they are injections; the
support engineer's own request may ask such questions ("escalate to engineering?") legitimately."""
INJECTION = re.compile(f"{ADDRESSED_TO_AI.pattern}|{COMMANDS.pattern}", re.IGNORECASE | re.MULTILINE)
"""Instruction-like text inside data: reported, never obeyed."""
