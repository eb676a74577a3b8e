"""The offline model's phrase lexicon: which wording asserts which signal.

Patterns are deliberately specific ("another customer's data", not "security") so that a keyword
used in passing does not fire; negation and hypotheticals are filtered by `agent.models.offline.signals`.
"""

from __future__ import annotations

import re

_CANT = r"(?:can(?:no|')?t|cannot|unable to|not able to|could(?:n't| not))"
_ACT = (
    r"(?:log ?in|sign ?in|access|use|run|work|proceed|complete|export|load|open|save|send|receive|see|publish|submit|"
    r"generate|create|approve|pay|process|sync|import|upload|download|print|view|close)"
)

PATTERNS: dict[str, str] = {
    "production_down": (
        rf"\b(?:(?:is|are|(?:has|have) been|completely|totally|still) down\b|down for (?:all|everyone|everybody|anyone|the whole|"
        rf"our whole|the entire)|(?:site|app|api|service|platform|dashboard|login) (?:is |was )?(?:unavailable|unreachable)|"
        rf"(?:nobody|no one|none of (?:our|the|their) (?:\w+ ){{0,2}}users|everyone|all (?:of )?(?:our |their )?(?:\w+ )?users|"
        rf"(?:\d[\d,]*|hundreds of|thousands of) (?:\w+ )?users) (?:\w+ ){{0,2}}(?:{_CANT} (?:\w+ ){{0,2}}{_ACT}|"
        rf"(?:are |got |were )?locked out|(?:are |were )?blocked)|none of (?:our|the|their) (?:\w+ ){{0,2}}(?:(?:have|has) "
        rf"(?:loaded|worked|opened)|load|loads|work|works|open|opens)\b|(?:error|errors|fails?|failing|broken) (?:\w+ ){{0,3}}for (?:all|every|"
        rf"everyone|anyone) (?:of )?(?:their |our )?(?:\w+ ){{0,2}}users|for anyone (?:on|in) (?:our|their|the) "
        rf"(?:team|company|org\w*)|login loop|redirect loop|production (?:is )?(?:down|broken)|nothing works|completely broken)"
    ),
    "data_loss": (
        r"(?:missing (?:\w+ )?(?:rows|records|data|events|entries|transactions)|(?:rows|records|events|entries) "
        r"(?:are |were |go |went )?missing|data (?:was |were |is |has been )?(?:lost|corrupt\w*|missing|deleted|wiped)|"
        r"data loss|lost (?:\w+ )?(?:data|records|events|rows)|corrupt(?:ed|ion)|silently drop\w*|drop(?:s|ped|ping) "
        r"(?:\w+ ){0,2}(?:rows|records|events)|duplicated? (?:rows|records|events|charges|refunds)|double[- ]count\w*|counted "
        r"twice|wrong (?:totals|numbers|values|data|timestamps)|data integrity|row counts? (?:differ|mismatch|do(?:es)?n't match|"
        r"is off|are off)|"
        r"(?:events|data|records|rows|history|months of \w+) (?:\S+ ){0,4}(?:disappeared|vanished|are gone|were deleted|got "
        r"deleted|wiped)|(?:timestamps?|dates|values) (?:\w+ ){0,3}(?:shifted|offset|overwritten|rewritten|scrambled))"
    ),
    "security:data_exposure": (
        r"(?:another (?:customer|company|tenant|organi[sz]ation|org)['’]?s? (?:\w+ ){0,2}(?:data|workspace|name|dashboard|"
        r"records|users|reports?|invoices)|(?:other|a different|the wrong) (?:customers?|tenants?|compan(?:y|ies)|organi[sz]ations?)"
        r"['’]?s? (?:\w+ ){0,2}(?:data|reports?|dashboards?|records|files|workspaces?|invoices|information)|data (?:of|from|"
        r"belonging to) (?:another|other|a different) (?:customer|company|tenant|org\w*)|cross[- ]tenant|data (?:exposure|leak\w*)|"
        r"(?:exposed|leaked|leaking|exposes|exposing) (?:\w+ ){0,3}(?:data|keys?|credentials|tokens?|pii|phi|secrets?|reports?)|"
        r"(?:keys?|credentials|tokens?|secrets?|pii) (?:\w+ ){0,3}(?:exposed|leaked|publicly visible|visible (?:to|on|in) "
        r"(?:the )?public)|security (?:breach|incident)|data breach|(?:sent|emailed|delivered|shared|forwarded) (?:\w+ ){0,4}"
        r"(?:to|at) (?:an? )?(?:address (?:at|of) )?(?:another|a different|the wrong|an? (?:external|unknown|outside)) "
        r"(?:company|customer|address|recipient|tenant|person)|(?:not mine|not ours|don't belong to us|do not belong to us)|"
        r"^(?=.*\b(?:patient|dates? of birth|ssn|social security|phi|pii|personal data|health data|credit card)\b)(?=.*\b"
        r"(?:includ\w*|expos\w*|visible|sent|leak\w*|emailed|can still|still (?:open|access|see))\b))"
    ),
    "security:unauthorized_access": (
        r"(?:unauthori[sz]ed (?:access|login|user|api calls?)|account takeover|someone (?:else )?(?:logged|accessed|"
        r"got access)|suspicious (?:login|activity|sign-?in)|compromised (?:account|credentials|keys?|tokens?)|"
        r"(?:access|see|read|view)(?:ed)? (?:\w+ ){0,2}(?:they|users?) should(?:n't| not)|(?:key|token|secret|password)s? "
        r"(?:\w+ ){0,4}(?:committed|pushed|posted|published) (?:\w+ ){0,3}(?:public|github|gitlab|pastebin)|(?:ip addresses|"
        r"ips|locations|countr(?:y|ies)|devices) (?:\w+ ){0,2}(?:they|we) (?:don't|do not|didn't|did not) recogni[sz]e|"
        r"unknown ips?|unrecogni[sz]ed (?:ips?|devices?|logins?|locations?)|(?:former|ex-?|removed|deprovisioned|terminated|"
        r"offboarded|revoked|deleted) (?:\w+ ){0,8}(?:can |could |was able to |were able to )?still (?:\w+ )?(?:open|opens|access|"
        r"see|view|log ?in|use|export|works?)|(?:former|ex-) ?(?:employee|staff|user)s? (?:\w+ ){0,8}(?:exported|accessed|"
        r"logged in|downloaded|viewed)|failed log ?ins? (?:\w+ ){0,8}(?:then|followed by|and then) (?:\w+ ){0,3}successful|"
        r"brute[- ]force|credential stuffing)"
    ),
    "security:vulnerability": (
        r"(?:vulnerabilit\w+|\bidor\b|\bxss\b|cross-site scripting|sql injection|\bcve-\d{4}-\d+|security (?:bug|flaw|"
        r"hole|researcher|disclosure|report)|responsible disclosure|bug bounty|privilege escalation|pen(?:etration )?test\w* finding|(?:session|auth|access) tokens? (?:\w+ ){0,2}still (?:valid|active|work\w*)|phishing|impersonat\w+ "
        r"(?:\w+ ){0,2}(?:lumen|our|us|support)\b|look-?alike domain|spoof\w*)"
    ),
    "security:compliance": (
        r"(?:gdpr (?:violation|breach|complaint|request)|hipaa (?:violation|breach)|compliance (?:concern|violation|breach|"
        r"incident)|data protection (?:authority|officer|complaint)|breach notification|(?:stored|hosted|processed|replicated) "
        r"in [\w-]+ (?:\w+ ){0,3}(?:although|but|despite|even though|while) (?:\w+ ){0,3}(?:dpa|contract|agreement|promises?)|"
        r"data residency (?:\w+ ){0,3}(?:violat\w*|breach\w*|issue|problem|concern)|(?:their|the) dpo\b)"
    ),
    "sla_breached": (
        r"(?:sla (?:was |has been |is |got )?(?:breach\w*|missed|violated|blown|exceeded)|breach\w* (?:of )?(?:the |our |"
        r"your )?sla|(?:missed|past|outside|exceeded|over|broke|violated) (?:the |our |your )?(?:[\w-]+ ){0,3}sla|sla breach|"
        r"invoked (?:the |their )?sla)"
    ),
    "sla_at_risk": (
        r"(?:sla (?:is )?(?:at risk|about to (?:expire|breach|be missed)|close to|due (?:in|within))|(?:approaching|nearing) "
        r"(?:the |our |your )?sla|before (?:the |our )?sla (?:expires|runs out|deadline))"
    ),
    "churn_threat": (
        r"(?:cancel\w* (?:\w+ ){0,2}(?:contract|subscription|account|plan|renewal)|(?:won't|will not|not going to|do not plan "
        r"to|don't plan to) renew|(?:move|moving|switch\w*|migrat\w*|go(?:ing)?) (?:\w+ ){0,2}to (?:a |another )?"
        r"(?:competitor|vendor|alternative|different (?:tool|vendor|provider))|(?:look\w*|evaluat\w*) (?:at )?(?:other|"
        r"alternative|competing) (?:vendors|tools|solutions|providers)|(?:will|going to|might|threaten\w* to|considering|risk "
        r"of|at risk of|about to) churn|churn (?:risk|threat)|downgrad\w+|terminate (?:the |our )?"
        r"(?:contract|agreement)|reconsider\w* (?:the |our )?(?:renewal|contract|partnership))"
    ),
    "executive_involvement": (
        r"(?:\b(?:our|their|the|my|your) (?:ceo|cto|cfo|coo|ciso|cio|vp|svp|evp|vice president|head of \w+|founder|"
        r"managing director)\b|\b(?:ceo|cto|cfo|ciso)\b|executive (?:call|sponsor|escalation|involvement|team)|(?:call|"
        r"meeting|speak|talk) (?:\w+ ){0,2}with (?:your |an? |our )?(?:exec\w*|vp|ceo|cto|leadership|head of))|someone senior|(?:speak|talk) to (?:a |your )?(?:manager|supervisor|boss)"
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
        r"endpoint|format|certificate|redirect uri|callback url|audience|entity id|config\w*)|(?:setting|config\w*|secret) "
        r"(?:was|is) (?:wrong|incorrect|off|missing)|allowlist|whitelist|spam (?:folder|filter)|(?:after|once|since) (?:we |they "
        r"|you |their \w+ team )?(?:updated|changed|corrected|fixed|tightened|modified|rotated|restricted) (?:the |their |your |"
        r"our )?(?:\w+ ){0,2}(?:setting|secret|config\w*|key|policy|permissions?|firewall|proxy|role)s?|(?:bucket|iam|"
        r"content[- ]security|cors|firewall) polic(?:y|ies)|refused to frame|frame-ancestors|invalid audience|(?:setting up|"
        r"set up|configuring|onboarding) (?:\w+ ){0,4}for the first time)"
    ),
    "guidance_request": (
        r"(?:^(?:hi[,!]? |hello[,!]? )?(?:is there a way to|what(?:'s| is) the (?:best |right )?way to|could you (?:explain|"
        r"show)|any (?:docs|documentation|guide) on)|\bhow (?:do|can|could|should|would) (?:i|we|they|you|one)\b|\bhow (?:i|we)"
        r" (?:can|could)\b|\basks? (?:how|whether|if)\b|\basking (?:how|whether|if)\b|\bwhere (?:do|can|should) (?:i|we|they)"
        r" (?:find|see|set|change)|\bcan (?:i|we|they) (?:add|set|change|configure|share|invite|rotate|create|schedule|keep|"
        r"export)\b|\bhow to \w+|\bhow-to\b|training (?:session|request)|walk (?:me|us|them) through)"
    ),
    "feature_request": (
        r"(?:feature request|(?:would|'d) (?:love|like) (?:to have|to see) |(?:would|'d) love (?:an?|the|some)\b|"
        r"please add|(?:can|could|would) you (?:add|build|support|ship)|(?:asks?|asking|wonder\w*) (?:if|whether) (?:we|you) "
        r"(?:could|can|would|will) (?:add|build|support|ship|offer)|(?:if|unless) (?:we|you) (?:don't|do not|won't|will not)? ?"
        r"(?:add|build|ship|support|offer) (?:an?|the|some)\b|unless (?:\w+ ){1,5}(?:ships|is shipped|is built|is added|lands|"
        r"is released)|we need (?:an?|the|some) (?:\w+ ){0,3}(?:feature|api|export|option|integration|report|endpoint)|missing "
        r"(?:\w+ ){0,2}feature|(?:sync|support|feature|option|integration|connector|api|setting|objects?)s? (?:is|are) "
        r"(?:missing|not (?:supported|available))|(?:is|isn't|is not|are not|aren't) (?:currently )?(?:supported|available)|"
        r"no way to|on (?:the|your) roadmap|(?:doesn't|does not|don't|do not) (?:yet )?(?:support|offer|provide)\b|lack of (?:an?|"
        r"the )?\w+|ability to \w+|(?:working|works) as designed|by design|(?:product|design) decision|same request as)"
    ),
    "confirmed_bug": (
        r"(?:reproduc(?:ed|ible)|confirmed (?:as )?(?:a |the )?(?:bug|defect|issue)|known bug|this is a bug|engineering "
        r"(?:confirmed|acknowledged|is working on)|(?:bug|defect) (?:confirmed|filed|logged)|(?:on|in) our (?:own )?test "
        r"(?:workspace|account|environment|tenant)|every single time)"
    ),
    "regression": (
        r"(?:worked (?:fine |perfectly |well )?(?:before|until|last \w+|yesterday|previously)|used to work|stopped "
        r"working|(?:broke|broken|started|began) (?:\w+ ){0,2}(?:after|since) (?:the |your |last |latest |recent )*"
        r"(?:release|update|deploy\w*|upgrade|change)|regress\w+)"
    ),
    "infrastructure_issue": (
        r"(?:\b5\d\d\b(?:s)? (?:errors?|responses?|status)|\bhttp 5\d\d\b|\b(?:500|502|503|504)s?\b|internal[_ ]server[_ ]"
        r"error|internal_error|bad gateway|gateway (?:timeout|error)|\btimed? ?out\b|timeouts|elevated (?:error|5xx|"
        r"latency)|\btimes? out\b|\b5xx\b|(?:server|database|queue|cluster|node|worker)s? (?:is |are )?(?:down|overloaded|failing|"
        r"saturated)|latency spikes?|degraded performance|packet loss)"
    ),
    "beyond_support": (
        r"(?:need(?:s)? (?:access to )?(?:the )?(?:server|backend|database|infrastructure|gateway) logs|(?:support|we) "
        r"(?:can(?:no|')?t|cannot|do(?:n't| not)) (?:have access|see (?:the|their|any|our) (?:\w+ )?(?:logs|data))|beyond (?:our|"
        r"support['’]?s?) (?:ability|scope|access)|(?:requires?|need(?:s)?) (?:an? )?engineer(?:ing)?|unable to (?:diagnose|"
        r"determine|find) (?:the )?(?:cause|root cause)|no idea (?:why|what)|(?:no|without|don't have|do not have) access to "
        r"(?:the |our |their )?(?:\w+ ){0,2}(?:logs|database|backend|infrastructure)|(?:can(?:no|')?t|cannot) (?:see|access|"
        r"check|read) (?:our|the) (?:\w+ ){0,2}logs|(?:can(?:no|')?t|cannot|could(?:n't| not)) find (?:out )?(?:why|the cause))"
    ),
    "custom_implementation": (
        r"(?:custom (?:implementation|integration|connector|build|script|code|deployment|sso setup)|on-?prem\w*|built by "
        r"(?:their|our|a|an) (?:\w+ )?(?:contractor|partner|consultant|agency)|(?:their|our) own (?:integration|connector|"
        r"middleware|proxy|wrapper)|professional services|bespoke|forked (?:the|our) sdk)"
    ),
    "pr_legal_risk": (
        r"(?:journalist|reporter from|(?:the |talk to the |contact the )press\b(?! (?:people|release|kit|passes?|tickets?|badges?|list|team))|press coverage|(?:post\w*|tweet\w*|"
        r"write|writing|share\w*) (?:\w+ ){0,3}(?:on|to) (?:twitter|x\.com|linkedin|reddit|hacker news|social media|"
        r"(?:their|our|a) blog)|public(?:ly)? (?:post|shame|complain|review)|lawyer|attorney|legal (?:action|counsel|"
        r"proceedings|department)|lawsuit|\bsue\b|breach of contract|regulator|influencer|\d+k? followers|(?:video|public|bad|negative|scathing) reviews?|posting (?:\w+ ){0,2}(?:screenshots|about us)|calling us (?:scammers|frauds|a scam)|go(?:ing)? public)"
    ),
    "policy_exception": (
        r"(?:exception to (?:the |our |your )?(?:policy|terms)|outside (?:of )?(?:the |our |your )?policy|beyond (?:the |our |"
        r"your )?(?:policy|terms)|service credits?|full refund|refund (?:of|for) (?:the |our )?(?:\w+ ){0,3}(?:year|annual|"
        r"contract|plan|months?|\$)|(?:waive|waiver of) (?:the )?(?:fee|fees|penalty|minimum)|approve (?:an? )?(?:exception|"
        r"credit|discount)|special (?:pricing|terms|discount)|(?:policy|terms) only allows?|match (?:the |their |a )?"
        r"(?:competitor['’]?s? )?pric\w+|price match|(?:\d+ ?%|percent) (?:cheaper|discount)|(?:refuses|reject\w*|won't "
        r"accept|will not accept|does not accept) our (?:standard )?(?:dpa|contract|terms|msa|agreement)|sign (?:their|a custom)"
        r" (?:dpa|contract|terms|msa)|unlimited liability|custom (?:contract|terms|dpa|msa))"
    ),
    "resolved": (
        r"(?:resolved (?:itself|on its own)|(?:is|are|seems?|it's) (?:working|fine) (?:again|now)|no longer (?:happening|an "
        r"issue|seeing|occurring)|(?:issue|problem|errors?) (?:went away|disappeared|has stopped|stopped))"
    ),
    "recurring": (
        r"(?:keeps? (?:happening|coming back|recurring)|(?:second|third|2nd|3rd|fourth) time (?:this|that|we)|same (?:issue|"
        r"problem) (?:as|we had) (?:before|last)|was (?:supposedly )?fixed|supposed to be fixed|again after (?:the |your )?"
        r"fix|(?:is |it's |came )back again|(?:happening|broken|failing|missing) again|mismatch again|(?:fixed|resolved|"
        r"patched)\b[^;]{0,60}?\b(?:is back|are back|came back|returned|reappeared|again))"
    ),
    "worsening": (
        r"(?:getting worse|(?:more and more|increasingly) (?:\w+ )?(?:often|frequent|users|errors)|(?:error rate|errors|"
        r"failures|complaints) (?:has |have )?(?:grown|increased|doubled|tripled|spiked)|worse (?:every|each|since|than)|"
        r"spreading to)"
    ),
    "blocked": (
        rf"(?:\bblock(?:ed|ing|er)\b|{_CANT} (?:\w+ ){{0,3}}{_ACT}|(?:we|they|users|staff|everyone|all of us) (?:are |were |got )?locked out|(?:pipeline|jobs?|process|month-end|"
        rf"close|reporting|launch) (?:\w+ ){{0,2}}(?:is |are |was )?(?:failing|blocked|stuck|halted)|stopped (?:us|our "
        rf"\w+)|dead in the water|grind(?:ing)? to a halt)"
    ),
}


_OTHER_PARTY = (
    r"(?:(?:another|a different|the wrong|some other|other)\s+(?:customer|company|compan(?:y|ies)|tenant|org\w*|business|"
    r"employer|client|clinic|practice|hospital|account|school|store|shop|site|location)s?|(?:somebody|someone) else['’]s)"
)
_SENSITIVE = (
    r"(?:data|records?|reports?|payslips?|salar\w*|ssns?|social security|tax ids?|bank|invoices?|dashboards?|files?|"
    r"documents?|names?|addresses|pii|phi|details|information|workspace|exports?|employees?|staff|phones?|phone numbers?|"
    r"positions?|locations?|vehicles?|trucks?|routes?|drivers?|customers?|orders?|patients?)"
)
_EXPOSED = (
    r"(?:see|saw|seeing|shows?|showed|showing|opened|opens|received|got|visible|exposed|access\w*|view\w*|download\w*|"
    r"leak\w*|sent|emailed|contains?|contained|included?)"
)
_NUM = r"(?:\d+|one|two|three|four|five|six|seven|eight|several|many)"

WIDER: dict[str, str] = {
    # Same signals, more of the ways customers and colleagues actually put them.
    "executive_involvement": (
        r"chief (?:executive|technology|financial|operating|information|revenue|customer) officer|\bcoo\b|\bthe board\b|"
        r"(?:meeting|call|speak) (?:\w+ ){0,3}with (?:\w+['’]s )?(?:ceo|chief|founder|leadership|executives?|president)"
    ),
    "workaround_failed": (
        r"(?:after|even after|despite) (?:we |they |you )?(?:\w+ ){0,3}(?:per|following|as described in) (?:the )?(?:kb|"
        r"article|docs|documentation|kb-\d+)\b"
    ),
    "regression": (
        r"since (?:the |last |\w+['’]s )?(?:latest |recent |new )?(?:release|update|deploy\w*|upgrade|version)\b|used to "
        r"(?:be|take) (?:under |less than |about )?\d+(?:\.\d+)? ?(?:ms|s|sec|seconds?)\b"
    ),
    "configuration_issue": (
        r"(?:since|after) (?:we|they|our \w+|their \w+) (?:did|changed|updated|renamed|renumbered|set up|reorgani[sz]ed) "
        r"(?:the |our |their )?(?:\w+ ){0,3}(?:setup|set-up|accounts?|settings?|configuration|fiscal year|mapping)"
    ),
    "infrastructure_issue": (
        r"(?:delivered|arriv\w+|show(?:s|ing)? up|processed|received) (?:\w+ ){0,4}(?:\d+ (?:to|-) )?\d+ "
        r"(?:hours?|minutes?) late|hours behind|delayed by (?:\w+ ){0,2}(?:hours?|minutes?)"
        rf"|(?:takes?|taking|took) (?:\d+[-–])?\d+ ?(?:s|sec|seconds|minutes|mins)\b|(?:arriv\w+|delivered) (?:\w+ ){{0,3}}"
        rf"{_NUM}(?: (?:and|to) {_NUM})? hours? late"
    ),
    "confirmed_bug": (
        r"(?:on|in|with) (?:a|our|my) (?:own )?test (?:workspace|account|environment|tenant|device|phone)|"
        r"(?:it|this) happens? (?:too|also|as well|there too)"
    ),
    "security:data_exposure": (
        rf"^(?=.*\b{_OTHER_PARTY}\b)(?=.*\b{_SENSITIVE}\b)(?=.*\b{_EXPOSED}\b)|(?:it|this) is not our data|not our "
        r"(?:data|employees|staff)\b"
        r"|^(?=.*\b(?:social security|ssns?|dates? of birth|credit card|bank account numbers?|passport|pii|phi)\b)"
        r"(?=.*\b(?:in plain ?text|unmasked|not masked|contains?|contained)\b)"
        r"|(?:strangers|people|users|attendees|customers|guests|patients|donors|members) (?:who|that) (?:never|didn't|did "
        r"not|aren't|are not|weren't|were not) (?:\w+ ){0,3}(?:from|with|ours|our|us)\b|has strangers in it"
    ),
    "security:unauthorized_access": (
        r"country where (?:\w+ ){0,3}(?:has|have) no (?:staff|employees|office|one)|while (?:she|he|they|i|we) "
        r"(?:was|were) (?:asleep|away|on leave|on holiday)|without (?:her|his|their|our|my) (?:knowledge|consent|permission)|"
        r"(?:taken|accessed|exported|downloaded|viewed|logged in|opened) (?:\w+ ){0,6}after (?:he|she|they) (?:left|was "
        r"(?:terminated|removed|fired|deprovisioned|let go))|(?:got|get|gotten|broke|logged) into (?:our|their|my|the) "
        r"(?:\w+ )?account|somebody (?:else )?is in (?:our|their|my) (?:\w+ )?account|(?:turn(?:ed)?|switch(?:ed)?) off "
        r"(?:the )?(?:two-factor|2fa|mfa)|(?:disabled|removed) (?:the )?(?:two-factor|2fa|mfa)|we did(?:n't| not) do "
        r"(?:this|that)|(?:deactivated|disabled|suspended|let go|fired) (?:\w+ ){0,8}(?:can |could )?still (?:\w+ )?(?:open|"
        r"opens|opened|access|accessed|see|saw|view|viewed|log ?in|logged in|use|used)"
        r"|(?:he|she|they|we|i) did(?:n't| not) (?:do|change|make|authori[sz]e|request) (?:it|this|that|the change|(?:the |his |"
        r"her |their |our |my )?(?:\w+ ){0,2}(?:account|password|details|settings|address|email))\b|"
        r"countr(?:y|ies) (?:he|she|they|we) (?:has|have|had) never|(?:fired|deactivated|terminated|removed|offboarded|"
        r"deprovisioned|disabled) (?:\w+ ){0,8}(?:logged in|logged into|signed in|accessed|opened)\b"
        r"|(?:same|this|that) (?:person|user|employee|assistant|volunteer) (?:\w+ ){0,3}(?:logged in|signed in|accessed|"
        r"exported|downloaded)|(?:changed|updated|switched) (?:\w+ ){0,6}(?:to )?an? (?:\w+ )?(?:account|number|address) (?:that )?"
        r"(?:they|we|i) (?:don't|do not|didn't|did not) recogni[sz]e"
    ),
    "security:vulnerability": (
        r"responsibl\w* disclos\w*|no rate limit\w*|an attacker could|enumerat\w+ (?:\w+ ){0,3}(?:links?|tokens?|ids?)|"
        r"(?:api keys?|secrets?|tokens?|passwords?|credentials) (?:\S+ ){0,4}(?:appear|are visible|are shown|are displayed|"
        r"in (?:plain|clear) ?text|unmasked|not masked)"
        r"|not our domain|fake (?:\w+ )?(?:page|site|domain|checkout|login|portal|invoice|email)|look-?alike|"
        r"(?:pretend\w* to be|posing as) (?:us|our)\b|(?:links?|tokens?) (?:\w+ ){0,3}(?:don't|do not|never) expire"
        r"|(?:previous|another|other) (?:person|user|colleague)['’]s (?:\w+ ){0,3}(?:list|screen|data|account|records|"
        r"session)|(?:recorded|saved|logged) under (?:my |a |another )?(?:colleague|user|person)['’]s name|log ?out "
        r"(?:does(?:n't| not)|didn't|did not) (?:really )?log (?:you |me |us |them )?out"
        r"|(?:an? )?e-?mail [\"“']from \w+[\"”']"
    ),
    "security:compliance": (
        r"^(?=.*\b(?:dpa|data processing agreement|data residency|eu[- ]only|gdpr)\b)(?=.*\b(?:stored|served|hosted|"
        r"processed|located|points? to|comes? from|come from)\b)"
        r"|^(?=.*\b(?:dpa|data processing agreement|data residency|eu[- ]only|gdpr)\b)(?=.*\b(?:us-east|us-west|eu-west|"
        r"eu-central|storage[- ]location|region)\b)"
    ),
    "production_down": (
        rf"{_CANT} (?:\w+ ){{0,3}}at all|(?:every|all) (?:\w+ ){{0,2}}(?:admins?|users?|employees?|staff|managers?) "
        r"(?:\w+ ){0,4}(?:gets?|sees?|receives?|hits?) (?:an? |the )?(?:'|\")?(?:error|http 5\d\d|5\d\d)|^(?:[\w-]+ ){1,3}"
        r"(?:is )?down\b(?! (?:the|to|from|by|on|in|a)\b)|(?:blank|empty|unavailable|not loading|won't load) for (?:all|every|everyone|anyone)"
        r"|(?:all|every one) of (?:our|their|the) (?:\w+ )?(?:staff|users|employees|team|people|agents|admins) (?:are |were |"
        r"got )?locked out"
        r"|5\d\d(?:ing|s)? for (?:every|all)\b|(?:down|failing|erroring|broken) for (?:every|all) (?:\w+ )?(?:venues?|customers?|"
        r"tenants?|accounts?|merchants?|shops?|stores?|sites?|clinics?)"
    ),
    "data_loss": (
        r"(?:timesheets?|data|records|entries|approvals|balances|events|files|history|rows|documents?) (?:\S+ ){0,6}(?:are|is|"
        r"were|was) (?:all )?(?:gone|lost|deleted|wiped|empty|blank)\b|(?:need|want) (?:this|the|our) data back|(?:reset|set|"
        r"went|dropped) to (?:zero|0(?:\.0+)?)\b|(?:imported|counted|listed|created|synced|recorded) twice|doubled "
        r"(?:every|all|each)|(?:figures|numbers|totals|costs?|amounts?) (?:[\w-]+ ){0,8}(?:are|were) wrong|(?:have|has|show|"
        r"shows) no (?:[\w-]+ ){0,2}(?:entries|records|data|rows)|logs? (?:\w+ ){0,3}(?:are |is )?blank"
        r"|(?:payments|transactions|invoices|orders|entries|logs|photos|messages|contacts|notes|attachments|bookings|"
        r"appointments|leads|ledgers?) (?:\S+ ){0,6}(?:are|were) (?:all )?(?:gone|lost|deleted|wiped)\b|(?:\d[\d,]*|all|every) "
        r"(?:\w+ ){0,3}(?:deleted|wiped|erased|removed) from"
        r"|converted twice|(?:is|are) now (?:less|more) than (?:half|double|twice)|(?:weights?|values?|doses?|prices?|"
        r"balances?|records?|dates?|timestamps?|quantit(?:y|ies)) (?:\w+ ){0,3}(?:wrong|incorrect|corrupted)\b"
        r"|(?:sold|booked|assigned|allocated|issued) twice|double[- ](?:sold|booked|allocated)"
    ),
    "recurring": (
        r"(?:bug|issue|problem|error) (?:is|came) back|(?:wrong|broken|failing|missing|down) again|like the (?:bug|issue) "
        r"(?:you|we) fixed"
    ),
    "blocked": (
        r"(?:fails?|failing|errors?|broken)\b[^.;]{0,50}\bfor (?:every|each) \w+|(?:fails?|failing|errors?|broken)\b[^.;]{0,50}"
        r"\bfor all (?:of )?(?:our |their |the )?\w+|(?:integration|pipeline|sync|job|import|payroll|process) (?:\w+ ){0,3}is "
        r"failing|(?:nightly|daily|scheduled|weekly) (?:\w+ ){0,2}(?:fails|failed|is failing)"
    ),
    "beyond_support": (
        rf"{_CANT} (?:see|access|check|read) (?:any |the |our )?(?:[\w-]+ ){{0,2}}logs|{_CANT} (?:tell|figure out|work out|"
        r"find out) why"
        r"|no pattern (?:i|we) can find|(?:nothing|no article) in the (?:kb|knowledge base|tracker)|"
        r"(?:can(?:no|')?t|cannot|could(?:n't| not)) find (?:a |any )?(?:pattern|cause|reason)"
        rf"|{_CANT} reproduce"
    ),
    "policy_exception": (
        r"^(?=.*\b(?:refunds?|credits?)\b)(?=.*\b(?:polic(?:y|ies)|terms|contract)\b)(?=.*\b(?:only|within|outside|beyond|"
        r"except|not allow\w*|no refunds?)\b)"
        r"|^(?=.*\b(?:refunds?|credits?)\b)(?=.*\b(?:polic(?:y|ies)|terms|contract)\b)(?=.*\b(?:max|maximum|cap|capped|up to|"
        r"limit\w*)\b)"
    ),
    "pr_legal_risk": (
        r"solicitors?|barrister|legal counsel|(?:post|article|story|piece) (?:for|in|on|about) (?:the )?(?:[\w-]+ ){0,3}"
        r"(?:forum|magazine|press|newspaper|blog)|trade (?:press|magazine)"
        r"|general counsel|file a claim|legal letter|youtube|\d+k? subscribers|(?:recording|publishing|posting|making) "
        r"a video"
        r"|tiktok|instagram|went viral|\d+(?:\.\d+)?[km]? views|(?:news|tv|channel \d+|newspaper|journalist)\b[^.]{0,40}"
        r"(?:asking|emailed|called|contacted)"
    ),
    "churn_threat": (
        r"unless (?:we|you|routeline|they) (?:\w+ )?(?:match|lower|reduce|drop|beat)\b|(?:moving|switching|migrating|move|switch) "
        r"(?:over )?to \w+ (?:on|by|in|at|next|from|unless|if)\b|we (?:will )?sign with|(?:does|do)(?:n't| not) intend to renew|"
        r"not renewing|notice of (?:intent )?not to renew"
    ),
    "workaround_available": (
        r"(?:without|if (?:we|they|you) (?:turn|switch) off) (?:the )?(?:\w+ ){0,3}it works|(?:they|you|we) can (?:\w+ )?(?:type|"
        r"enter|add|key) (?:\w+ ){0,4}(?:by hand|manually)"
        r"|(?:\w+ ){1,3}is (?:right|correct|fine|working) for now|(?:use|using) (?:the )?(?:\w+ ){1,3}(?:instead|for now|in "
        r"the meantime)"
    ),
    "feature_request": (
        r"(?:if|unless) (?:we|you) (?:can(?:no|')?t|cannot|don't|do not|won't|will not) (?:add|build|ship|support|offer|"
        r"give us) (?:an?|the|some)\b"
    ),
}
PATTERNS = {name: f"(?:{pattern}|{WIDER[name]})" if name in WIDER else pattern for name, pattern in PATTERNS.items()}

COMPILED: dict[str, re.Pattern[str]] = {name: re.compile(p) for name, p in PATTERNS.items()}
"""Compiled without IGNORECASE (3-4x faster): callers match lower-cased text."""
