"""The offline model's phrase lexicon: which wording asserts which signal.

Patterns are deliberately specific ("another customer's data", not "security") so that a keyword
used in passing does not fire; negation and hypotheticals are filtered by `agent.offline.signals`.
"""

from __future__ import annotations

import re

_CANT = r"(?:can(?:no|')?t|cannot|unable to|not able to|could(?:n't| not))"
_ACT = r"(?:log ?in|sign ?in|access|use|run|work|proceed|complete|export|load|open|save|send|receive|see)"

PATTERNS: dict[str, str] = {
    "production_down": (
        rf"\b(?:(?:is|are|was|went|been|completely|totally) down\b|(?:site|app|api|service|platform|dashboard|login) "
        rf"(?:is |was )?(?:unavailable|unreachable)|(?:nobody|no one|none of (?:our|the) users|everyone|all (?:of )?(?:our )?"
        rf"(?:\w+ )?users|(?:\d[\d,]*|hundreds of|thousands of) (?:\w+ )?users) (?:\w+ ){{0,2}}(?:{_CANT} (?:\w+ ){{0,2}}{_ACT}|"
        rf"(?:are |got |were )?locked out|(?:are |were )?blocked)|login loop|redirect loop|production (?:is )?(?:down|broken)|"
        rf"nothing works|completely broken)"
    ),
    "data_loss": (
        r"(?:missing (?:\w+ )?(?:rows|records|data|events|entries|transactions)|(?:rows|records|events|entries) "
        r"(?:are |were |go |went )?missing|data (?:was |were |is |has been )?(?:lost|corrupt\w*|missing|deleted|wiped)|"
        r"data loss|lost (?:\w+ )?(?:data|records|events|rows)|corrupt(?:ed|ion)|silently drop\w*|drop(?:s|ped|ping) "
        r"(?:\w+ )?(?:rows|records|events)|duplicated? (?:rows|records|events)|wrong (?:totals|numbers|values|data)|"
        r"data integrity|row counts? (?:differ|mismatch|do(?:es)?n't match|is off|are off)|(?:numbers|totals|counts) "
        r"(?:do(?:n't| not)|does(?:n't| not)) match)"
    ),
    "security:data_exposure": (
        r"(?:another (?:customer|company|tenant|organi[sz]ation|org)['’]?s? (?:\w+ ){0,2}(?:data|workspace|name|dashboard|"
        r"records|users|reports?)|other (?:customers?|tenants?|companies)['’]? (?:\w+ ){0,2}data|cross[- ]tenant|data "
        r"(?:exposure|leak\w*)|(?:exposed|leaked|leaking) (?:\w+ ){0,2}(?:data|keys?|credentials|tokens?|pii|secrets?)|"
        r"(?:keys?|credentials|tokens?|secrets?|pii) (?:\w+ ){0,3}(?:exposed|leaked|publicly visible|visible (?:to|on|in) "
        r"(?:the )?public)|security (?:breach|incident)|data breach|(?:data|information) (?:of|from) another customer)"
    ),
    "security:unauthorized_access": (
        r"(?:unauthori[sz]ed (?:access|login|user|api calls?)|account takeover|someone (?:else )?(?:logged|accessed|"
        r"got access)|suspicious (?:login|activity|sign-?in)|compromised (?:account|credentials|keys?|tokens?)|"
        r"(?:access|see|read|view)(?:ed)? (?:\w+ ){0,2}(?:they|users?) should(?:n't| not))"
    ),
    "security:vulnerability": (
        r"(?:vulnerabilit\w+|\bidor\b|\bxss\b|cross-site scripting|sql injection|\bcve-\d{4}-\d+|security (?:bug|flaw|"
        r"hole|researcher|disclosure|report)|responsible disclosure|bug bounty|privilege escalation)"
    ),
    "security:compliance": (
        r"(?:gdpr (?:violation|breach|complaint|request)|hipaa (?:violation|breach)|compliance (?:concern|violation|breach|"
        r"incident)|data protection (?:authority|officer|complaint)|breach notification)"
    ),
    "sla_breached": (
        r"(?:sla (?:was |has been |is |got )?(?:breach\w*|missed|violated|blown|exceeded)|breach\w* (?:of )?(?:the |our |"
        r"your )?sla|(?:missed|past|outside|exceeded|over) (?:the |our |your )?(?:\w+ )?sla|sla breach)"
    ),
    "sla_at_risk": (
        r"(?:sla (?:is )?(?:at risk|about to (?:expire|breach|be missed)|close to|due (?:in|within))|(?:approaching|nearing) "
        r"(?:the |our |your )?sla|before (?:the |our )?sla (?:expires|runs out|deadline))"
    ),
    "churn_threat": (
        r"(?:cancel\w* (?:\w+ ){0,2}(?:contract|subscription|account|plan|renewal)|(?:won't|will not|not going to|do not plan "
        r"to|don't plan to) renew|(?:move|moving|switch\w*|migrat\w*|go(?:ing)?) (?:\w+ ){0,2}to (?:a |another )?"
        r"(?:competitor|vendor|alternative|different (?:tool|vendor|provider))|(?:look\w*|evaluat\w*) (?:at )?(?:other|"
        r"alternative|competing) (?:vendors|tools|solutions|providers)|\bchurn\w*|downgrad\w+|terminate (?:the |our )?"
        r"(?:contract|agreement)|reconsider\w* (?:the |our )?(?:renewal|contract|partnership))"
    ),
    "executive_involvement": (
        r"(?:\b(?:our|their|the|my|your) (?:ceo|cto|cfo|coo|ciso|cio|vp|svp|evp|vice president|head of \w+|founder|"
        r"managing director)\b|\b(?:ceo|cto|cfo|ciso)\b|executive (?:call|sponsor|escalation|involvement|team)|(?:call|"
        r"meeting|speak|talk) (?:\w+ ){0,2}with (?:your |an? |our )?(?:exec\w*|vp|ceo|cto|leadership|head of))"
    ),
    "workaround_available": (
        r"(?:(?:the |a |this )?workaround (?:is|works|helps|unblocks|fixes)|as a workaround|(?:temporary|interim) "
        r"(?:fix|solution) (?:works|helps)|workaround (?:available|documented))"
    ),
    "workaround_failed": (
        r"(?:workaround (?:does(?:n't| not)|did(?:n't| not)|no longer) (?:work|help)|(?:tried|followed|applied) (?:the |your |"
        r"that )?(?:workaround|article|kb|steps|suggestion)[^.]{0,60}(?:didn't|did not|doesn't|does not|no luck|still|"
        r"no change|partially)|(?:still|again) (?:missing|failing|broken|happening) (?:after|even after|despite))"
    ),
    "configuration_issue": (
        r"(?:misconfigur\w+|(?:wrong|incorrect|old|outdated|expired|invalid) (?:signing )?(?:secret|key|setting|url|"
        r"endpoint|format|certificate|redirect uri|callback url|config\w*)|(?:setting|config\w*|secret) (?:was|is) "
        r"(?:wrong|incorrect|off|missing)|allowlist|whitelist|spam (?:folder|filter)|(?:after|once) (?:we |they |you )?"
        r"(?:updated|changed|corrected|fixed) (?:the |their |your )?(?:setting|secret|config\w*|key))"
    ),
    "guidance_request": (
        r"(?:^(?:hi[,!]? |hello[,!]? )?(?:how (?:do|can|should|would) (?:i|we|you)|is there a way to|what(?:'s| is) the "
        r"(?:best |right )?way to|where (?:do|can) (?:i|we) (?:find|see|set)|can (?:i|we) (?:add|set|change|configure|"
        r"share|invite|rotate|create|schedule)|could you (?:explain|show)|any (?:docs|documentation|guide) on)|\bhow to "
        r"\w+|\bhow-to\b|training (?:session|request)|walk (?:me|us) through)"
    ),
    "feature_request": (
        r"(?:feature request|(?:would|'d) (?:love|like) (?:to have|to see|a way|an option|the ability)|please add|"
        r"(?:can|could) you (?:add|build|support)|we need (?:an?|the|some) (?:\w+ ){0,3}(?:feature|api|export|option|"
        r"integration|report|endpoint)|missing (?:\w+ ){0,2}feature|(?:is|isn't|is not|are not|aren't) (?:currently )?"
        r"(?:supported|available)|no way to|on (?:the|your) roadmap|(?:doesn't|does not|don't|do not) (?:yet )?"
        r"(?:support|offer|provide|have) (?:an?|the|any)|lack of (?:an?|the )?\w+|ability to \w+)"
    ),
    "confirmed_bug": (
        r"(?:reproduc(?:ed|ible)|confirmed (?:as )?(?:a |the )?(?:bug|defect|issue)|known bug|this is a bug|engineering "
        r"(?:confirmed|acknowledged|is working on)|(?:bug|defect) (?:confirmed|filed|logged))"
    ),
    "regression": (
        r"(?:worked (?:fine |perfectly |well )?(?:before|until|last \w+|yesterday|previously)|used to work|stopped "
        r"working|(?:broke|broken|started|began) (?:\w+ ){0,2}(?:after|since) (?:the |your |last |latest |recent )*"
        r"(?:release|update|deploy\w*|upgrade|change)|regress\w+)"
    ),
    "infrastructure_issue": (
        r"(?:\b5\d\d\b(?:s)? (?:errors?|responses?|status)|\bhttp 5\d\d\b|\b(?:500|502|503|504)s?\b|internal[_ ]server[_ ]"
        r"error|internal_error|bad gateway|gateway (?:timeout|error)|\btimed? ?out\b|timeouts|elevated (?:error|5xx|"
        r"latency)|\b5xx\b|(?:server|database|queue|cluster|node|worker)s? (?:is |are )?(?:down|overloaded|failing|"
        r"saturated)|latency spikes?|degraded performance|packet loss)"
    ),
    "beyond_support": (
        r"(?:need(?:s)? (?:access to )?(?:the )?(?:server|backend|database|infrastructure|gateway) logs|(?:support|we) "
        r"(?:can(?:no|')?t|cannot|do(?:n't| not)) (?:have access|see (?:the|their|any) (?:logs|data))|beyond (?:our|support['’]?s?) "
        r"(?:ability|scope|access)|(?:requires?|need(?:s)?) (?:an? )?engineer(?:ing)?|unable to (?:diagnose|determine|"
        r"find) (?:the )?(?:cause|root cause)|no idea (?:why|what))"
    ),
    "custom_implementation": (
        r"(?:custom (?:implementation|integration|connector|build|script|code|deployment|sso setup)|on-?prem\w*|built by "
        r"(?:their|our|a|an) (?:\w+ )?(?:contractor|partner|consultant|agency)|(?:their|our) own (?:integration|connector|"
        r"middleware|proxy|wrapper)|professional services|bespoke|forked (?:the|our) sdk)"
    ),
    "pr_legal_risk": (
        r"(?:journalist|reporter from|(?:the |talk to the |contact the )press\b|press coverage|(?:post\w*|tweet\w*|"
        r"write|writing|share\w*) (?:\w+ ){0,3}(?:on|to) (?:twitter|x\.com|linkedin|reddit|hacker news|social media|"
        r"(?:their|our|a) blog)|public(?:ly)? (?:post|shame|complain|review)|lawyer|attorney|legal (?:action|counsel|"
        r"proceedings|department)|lawsuit|\bsue\b|breach of contract|regulator)"
    ),
    "policy_exception": (
        r"(?:exception to (?:the |our |your )?(?:policy|terms)|outside (?:of )?(?:the |our |your )?policy|beyond (?:the |our |"
        r"your )?(?:policy|terms)|service credits?|full refund|refund (?:of|for) (?:the |our )?(?:\w+ )?(?:year|annual|"
        r"contract|\$)|(?:waive|waiver of) (?:the )?(?:fee|fees|penalty|minimum)|approve (?:an? )?(?:exception|credit|"
        r"discount)|special (?:pricing|terms|discount))"
    ),
    "resolved": (
        r"(?:resolved (?:itself|on its own)|(?:is|are|seems?|it's) (?:working|fine) (?:again|now)|no longer (?:happening|an "
        r"issue|seeing|occurring)|(?:issue|problem|errors?) (?:went away|disappeared|has stopped|stopped))"
    ),
    "recurring": (
        r"(?:keeps? (?:happening|coming back|recurring)|(?:second|third|2nd|3rd|fourth) time (?:this|that|we)|same (?:issue|"
        r"problem) (?:as|we had) (?:before|last)|was (?:supposedly )?fixed|supposed to be fixed|again after (?:the |your )?"
        r"fix|(?:is |it's |came )back again|(?:happening|broken|failing|missing) again|mismatch again)"
    ),
    "worsening": (
        r"(?:getting worse|(?:more and more|increasingly) (?:\w+ )?(?:often|frequent|users|errors)|(?:error rate|errors|"
        r"failures|complaints) (?:has |have )?(?:grown|increased|doubled|tripled|spiked)|worse (?:every|each|since|than)|"
        r"spreading to)"
    ),
    "blocked": (
        rf"(?:\bblock(?:ed|ing|er)\b|{_CANT} (?:\w+ ){{0,3}}{_ACT}|locked out|(?:pipeline|jobs?|process|month-end|"
        rf"close|reporting|launch) (?:\w+ ){{0,2}}(?:is |are |was )?(?:failing|blocked|stuck|halted)|stopped (?:us|our "
        rf"\w+)|dead in the water|grind(?:ing)? to a halt)"
    ),
}

COMPILED: dict[str, re.Pattern[str]] = {name: re.compile(p, re.IGNORECASE) for name, p in PATTERNS.items()}

INJECTION = re.compile(
    r"(?:ignore (?:all |any )?(?:previous|prior|above|earlier) (?:instructions|prompts?|rules)|disregard (?:the |your )?"
    r"(?:instructions|rules|system prompt)|^\s*(?:system|assistant)\s*:|you are now|new instructions?:|mark (?:this|it) "
    r"(?:as )?(?:critical|p1|urgent|high)|set (?:the )?(?:severity|priority) to|(?:page|wake up|call) the (?:ceo|cto|on-?call)|"
    r"post (?:this )?(?:to|in) #\w+|escalate (?:this )?to (?:leadership|the ceo|security) immediately)",
    re.IGNORECASE | re.MULTILINE,
)
"""Instruction-like text inside data: reported, never obeyed."""
