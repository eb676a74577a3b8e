"""Detectors for instruction-like text inside ticket, chat and KB data: reported, never obeyed."""

from __future__ import annotations

import re

ADDRESSED_TO_AI = re.compile(
    r"(?:ignore (?:all |any )?(?:previous|prior|above|earlier) (?:instructions|prompts?|rules)|disregard (?:the |your |all )?"
    r"(?:previous |prior )?(?:instructions|rules|system prompt)|^\s*(?:system|assistant)\s*:|system override|you are now|"
    r"new instructions?:|(?:system|admin|security|platform) (?:notice|message|note|instruction)s?\b|\bto (?:the |any |our )?"
    r"(?:ai|llm|gpt)\b|(?:note|notice|memo|message|instructions?|attention|hey|hi|dear)[,:]? (?:to |for )?(?:the |any |our )?(?:ai|llm|"
    r"gpt|assistant|bot|model|triage (?:ai|bot|assistant|system)|escalation (?:ai|bot|assistant|system))\b|\bas an ai\b|"
    r"<!--|-->|(?:this )?instructions? (?:comes?|is|are) from|(?:escalate|severity|target_team|priority)\s*=)",
    re.IGNORECASE | re.MULTILINE,
)
"""Text written to an AI reading the ticket: always an injection attempt, wherever it appears."""
COMMANDS = re.compile(
    r"(?:mark (?:this|it) (?:as )?(?:critical|p1|urgent|high|low|medium)|set (?:the )?(?:severity|priority|target)\b|"
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
