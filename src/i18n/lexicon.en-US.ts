import type { Lexicon } from './lexicon.js';

/** English: matched on lower-cased text; words are bounded so "now" is not found in "know". */
export const enUS: Lexicon = {
  affirmatives: [
    '👍',
    '👌',
    '✅',
    '🆗',
    'yes',
    'yeah',
    'yea',
    'yep',
    'yup',
    'sure',
    'ok',
    'okay',
    'fine',
    'confirm',
    'confirmed',
    'go ahead',
    'do it',
    'yes do it',
    'yess',
    'yesss',
    'sure thing',
    'definitely',
    'absolutely',
    'of course',
    'affirmative',
    'yes confirmed',
    'sounds good',
    'alright',
    'all right',
    'agreed',
    'correct',
    'yes cancel',
    'yes cancel it',
    'ok cancel it',
    'sure go ahead',
    'ok go ahead',
    'go for it',
    'sure thing go for it',
    'lets do it',
    "let's do it",
    'please do',
    'yes please do',
    'k',
    'kk',
    'yep do it',
    'go on',
    'proceed',
    'ya',
  ],
  negatives: [
    'noo',
    '👎',
    '❌',
    '🙅',
    'no',
    'n',
    'nope',
    'nah',
    'no thanks',
    'no thank you',
    'dont',
    'do not',
    'not now',
    'no way',
    'id rather not',
    'i would rather not',
    'rather not',
  ],
  bareNo: ['👎', '❌', '🙅', 'no', 'nope', 'nah', 'n', 'noo', 'no no', 'no no no'],
  keepWords: ['keep', 'keep it', 'keep my membership', 'keep the membership', 'i will keep it', 'keep it please'],
  keepWithoutObject: [
    'keep',
    'keep it',
    'keep it please',
    'i will keep it',
    'keep that',
    'dont cancel',
    'dont cancel it',
    'do not cancel',
    'do not cancel it',
  ],
  bareCancel: ['cancel', 'cancel it'],
  // A question without "?": an interrogative opening a clause, a wh-word closing one, or a request to be told.
  question:
    /(?:^|[,;.!]\s*|\b(?:and|but|so|ok|okay|also|then|oh|um|uh|hmm|well|wait|quick question|question|btw|sorry)\s+)(?:what|what's|whats|how|how's|why|when|when's|where|which|who|whose|will (?:i|it|my|the|you|that|there|this|they)|would|do (?:i|you|we|they)|does|did|is (?:it|there|that|my|the|this)|are (?:there|you|my|the|they)|am i|was (?:it|my|the)|were|should|shall i|can i|could i|may i|might|have i|has|isn't|aren't|won't|wouldn't|doesn't|didn't|don't i|can't i)\b|\b(?:what|when|how|why|where|which|how long|how much|how soon|or not|isn't it|won't it|will it|does it|right)$|\bwhat (?:if|about|happens|do|does|will|would|is|are|was|exactly|else|time)\b|\bhow (?:much|many|long|soon|does|do|will|would|is|come)\b|\bwhen (?:does|do|will|would|is|are|can|should|did|could|exactly)\b|\b(?:i (?:was|am|'m) wondering|i wonder|wondering|curious|want to know|wanna know|need to know|like to know|any idea|do you know|tell me|explain|show me|repeat|say that again|more info|details|remind me|not sure (?:what|when|how|if|whether))\b/u,
  hedge:
    /🤔|🙄|😒|\b(?:oh sure|oh yeah sure|yeah right|sure sure|great idea|brilliant idea|sounds great|what a surprise|as if|because i love|cause i love|cuz i love|so you can charge|thanks for nothing|worried|scared|concerned|afraid (?:of|it)|not sure|unsure|think about|think it over|thinking|let me think|maybe|perhaps|hold on|hang on|wait|later|not yet|hmm+|idk|i don't know|dunno|undecided|considering|on second thought|one sec|a sec|a moment)\b/u,
  tentative:
    /\b(?:but|however|although|though|probably|prob|i think|i guess|i suppose|i reckon|i believe|guess|presumably|likely|kinda|sort of|i'?d say)\b/u,
  deferral:
    /\b(?:later|tomorrow|next (?:week|month|year|time|weekend|monday|friday)|another (?:time|day)|some other time|some ?day|in a (?:few|couple(?: of)?) (?:days|weeks|months)|in (?:a|one|two) (?:week|month)s?|get back to (?:you|this|it)|come back to (?:it|this)|decide later|for now|not today|not right now|not yet|sleep on it|hold off|put (?:it|this) off|wait (?:until|till|til)|after (?:i|my|the) (?:get|trip|holiday|holidays|vacation|payday|exams?|move)|first (?:i|let me)|before i decide)\b/u,
  narrowed:
    /\b(?:only|except|apart from|other than|excluding|but not|but keep|leave (?:my|the)|partial|partly|some of|part of)\b|\b(?:erase|delete|remove|wipe) (?:just |only )?(?:my|the) (?:phone|number|email|e-mail|name|address|history|records?|chats?|messages)\b|\bjust (?:my|the|his|her)\b|\b(?:my|the) (?:(?:payment|card|credit card|photos?|pictures?)(?: info| information| details| data)?|billing (?:info|information|details|data|address))\b|\bnot (?:my|the) (?:name|phone|email|e-mail|number|history|records?|cancellations?)\b/u,
  otherPerson:
    /\b(?:my (?:son|daughter|wife|husband|mom|mum|mother|dad|father|kid|kids|child|children|friend|partner|boyfriend|girlfriend|bf|gf|brother|sister|parents?|grandma|grandpa|grandmother|grandfather|family|roommate|flatmate|colleague|boss|spouse|aunt|uncle|cousin|niece|nephew|fiance|fiancee)(?:'s)?|(?:his|her|their) (?:account|data|membership|subscription|info|details|number|phone|email|stuff|plan|records?)|for (?:him|her|them)|someone else|somebody else|another (?:person|account|member|user)|other (?:person|people|user)|[a-z]+'s (?:account|data|membership|subscription|info|plan|phone|number|email))\b/u,
  othersAccount:
    /\b(?:my (?:son|daughter|wife|husband|mom|mum|mother|dad|father|kid|child|friend|partner|boyfriend|girlfriend|bf|gf|brother|sister|parents?|grandma|grandpa|grandmother|grandfather|roommate|flatmate|colleague|boss|spouse|aunt|uncle|cousin|niece|nephew|fiance|fiancee)'?s (?:own )?(?:account|membership|subscription|plan|data|info|details|number|phone|email|one|music|video)|(?:his|her|their) (?:own )?(?:account|membership|subscription|plan|data|info|details|number|phone|email)|cancel (?:hers|his|theirs)|(?:for|do it for) (?:him|her|them)|on (?:his|her|their) behalf|on behalf of|(?:someone|somebody) else'?s|another (?:person|member|user)'?s)\b/u,
  reportedSpeech:
    /\b(?:my (?:son|daughter|wife|husband|mom|mum|mother|dad|father|kid|kids|friend|partner|boyfriend|girlfriend|bf|gf|brother|sister|parents|family|roommate|colleague|boss|spouse)|he|she|they|someone|a friend)\s+(?:said|says|told me|tells me|wants|want|thinks|think|reckons|suggested|suggests|recommended|recommends|asked me|advised)\b/u,
  adoption:
    /\b(?:so|and so|then),?\s*(?:(?:yeah|yes|yep|ok|okay|sure|alright|fine|well),?\s*)?(?:let'?s do (?:that|it|this)|let'?s go with (?:that|it)|do (?:that|it|this)|go ahead|i'?ll do (?:that|it)|i'?ll go with (?:that|it)|yes|yeah|yep|ok|okay|please do)\b/u,
  conclusion: /\b(?:so|therefore|which is why|that'?s why|in that case)\b,?/gu,
  negatedCancel:
    /\b(?:not|don't|dont|do not|didn't|didnt|no|never|aren't|arent|isn't|isnt|won't|wont)\b(?: [a-z']+){0,3} (?:cancel\w*|unsub\w*|quit\w*|terminat\w*|end(?:ing)? (?:it|my))\b|\b(?:don'?t|do not) want (?:it|this|my membership|the membership) to (?:stay|be|remain) cancell?ed\b/u,
  volition:
    /^\s*(?:really |even |actually |just |quite )?(?:want|wanna|need|plan|intend|mean|going to|gonna|like|wish|care|feel like|think)\b/u,
  decisionCloser:
    /[,.\s]*\b(?:(?:yeah|yes|ok|okay) )?(?:that'?s it|that'?s all|final answer|that'?s (?:what i want|my decision|final)|done deal|let'?s do that)\b[.!\s]*$/u,
  settledThought:
    /\b(?:after (?:thinking|considering|careful (?:thought|consideration))(?: (?:about it|about this|it over|this over|it through|it|this))?|having (?:thought|considered)(?: (?:about it|it over|it through|it|this))?|(?:i'?ve|i have) (?:thought it over|thought about it|thought it through|considered it|slept on it|made up my mind|decided)|i (?:thought it over|thought about it|thought it through|slept on it|made up my mind)|my mind is made up)\b,?/gu,
  condition:
    /\b(?:if(?! (?:that'?s |it'?s |that is |it is )?(?:still )?possible\b| you (?:could|would|can|don'?t mind|please)\b| (?:it'?s|that'?s|it is) not (?:too much )?(?:trouble|a problem)\b)|unless|only if|provided|as long as|in case|assuming|depends|once (?:my|the|i|it)|as soon as|after (?:my|the|it|i))\b/u,
  corrections:
    /\b(?:wait,? no|no\W{0,4}wait(?:,? yes)?|wait,? yes|actually,? no|no,? actually|i mean|i meant|sorry,? i mean|scratch that|correction|oops|my bad)\b|\bsorry\b,?(?=\s*[+\d])/gu,
  doubleNegation:
    /\b(?:it'?s|its|it is) not that i (?:don'?t|do not|dont) (?:want|need|like|care)[^,.;!]*|\bnot that i (?:don'?t|do not|dont) (?:want|need)[^,.;!]*/gu,
  // A request turned down in passing ("no need for an agent") says nothing about the prompt.
  dismissals:
    /(?:\band )?(?:\bno,? )?\b(?:no need (?:for|to) (?:an? |the )?(?:agent|human|person|representative|start over|restart|talk to (?:anyone|a person|someone|an agent)|(?:get|involve|bring in|call) (?:a |an )?(?:person|human|agent))|(?:i )?don'?t need (?:an? |to talk to (?:an? )?)?(?:agent|human|person|representative)|(?:i )?don'?t want (?:to )?(?:start over|restart)|don'?t (?:transfer|connect|put|send) me (?:to |through to )?(?:an? |the )?(?:agent|human|person|representative)|(?:i )?don'?t (?:want|need) to (?:switch|change) (?:to |the language to )?(?:english|chinese)|no need to (?:switch|change) (?:to )?(?:english|chinese)|(?:i )?don'?t want to (?:quit|leave|exit|end) (?:the |this )?(?:chat|conversation))\b/gu,
  // "don't renew", "no refund" name the period-end option; other negations stop a yes.
  negation:
    /\b(?:don't|dont|do not|no|not|never|nah|nope)\b(?! (?:be |get |being |getting )?(?:renew|renewing|auto[- ]?renew|charge|charging|bill|billing|refund|need a refund|need the refund|more charges|want (?:it )?to renew|want to be charged|want any more charges|need it to renew|problem|problems|worries))|\bactually\b|\bchanged my mind\b/u,
  negationWord: /\b(?:don't|dont|do not|doesn't|not|never|nah|nope|without)\b|\bno\b(?! (?:problem|problems|worries))/u,
  refusedNow:
    /\b(?:(?:no|nah|nope),? )?(?:i )?(?:don't|dont|do not|not|no|never)(?: [a-z']+){0,3}? (?:now|today|immediately|right away|refund|refunds|money back)\b/gu,
  refusedRenewal:
    /\b(?:i )?(?:just |really |simply )?(?:don'?t|do not|never) (?:want|wanna|need) (?:to )?(?:be )?(?:charged|billed|renewed|pay(?:ing)?)(?: (?:for it|for this))?(?: again| anymore| any more| next month| next year)?\b/u,
  refusalLead:
    /^(?:no+|nope|nah|naw|no thanks|no thank you|not (?:yet|now|today|right now|for now|this time)|not really|i'?m good)\b/u,
  renewalOff:
    /\b(?:turn(?:ing)? off|switch(?:ing)? off|shut(?:ting)? off|stop(?:ping)?|disabl(?:e|ing)|cancel(?:l?ing)?|end(?:ing)?|kill(?:ing)?|remove|deactivate)(?: (?:the|my|this))? (?:auto[- ]?renew(?:al|ing|s)?|auto[- ]?pay(?:ment)?s?|automatic (?:renewals?|payments?|billing|charges?)|recurring (?:billing|payments?|charges?)|renewals?|subscription from renewing|it from renewing)\b|\bno more (?:auto[- ]?renew\w*|auto[- ]?pay\w*|renewals?)\b/u,
  requestLead:
    /^(?:(?:hi|hello|hey|so|ok|okay|um|uh|yeah|then)[, ]+)*(?:can|could|would|will) (?:you|u|ya) (?:please |pls |plz |just |kindly |maybe )*(?=[a-z])/u,
  keepNothing:
    /\b(?:(?:don'?t|do not|never) (?:want (?:you|you guys|your company|them|anyone) (?:to )?)?(?:keep(?:ing)?|hold(?:ing)?|stor(?:e|ing)|retain(?:ing)?|hav(?:e|ing)|sav(?:e|ing)) (?:on to |onto )?(?:anything|a thing|any of (?:it|my \w+|this)|any (?:data|info\w*|records?|details)|my (?:data|info\w*|personal \w+|stuff|details|records))|keep nothing|leave nothing|nothing (?:kept|left|stays))\b/u,
  keptUntilEnd:
    /\b(?:keep|keeping|use|using|enjoy|enjoying|have|having|retain|watch|watching|listen|listening)(?: [a-z']+){0,4}? (?:until|till|til|thru|through|up to|to the end of|for the rest of)(?: [a-z']+){0,4}? (?:end|ends|over|up|done|runs out|run out|expires?|last day|period|term|cycle|rest)\b/u,
  reversibleOption:
    /\b(?:whichever|the) (?:one|option)(?: that)? (?:i|we) can (?:still )?(?:undo|reverse|take back|change (?:my|our) mind(?: on| about)?)\b|\bthe (?:undoable|reversible) (?:one|option)\b/u,
  refusedKeep:
    /(?<!\b(?:don'?t|do not|never) )\b(?:don'?t|do not|not|no need to|never) (?:want to |wanna |need to )?keep (?:it|this|that|my|the)\b/u,
  refusedPeriodEnd:
    /\b(?:(?:i )?(?:don'?t|do not|dont) (?:want to )?wait (?:till|until|for) (?:the )?(?:end|expiry|renewal)|no need to wait(?: (?:till|until|for) (?:the )?(?:end|expiry|renewal))?|not (?:at|till|until) the end)(?: of (?:the |this )?(?:period|month|term|cycle|billing cycle))?\b/gu,
  theOther: /\b(?:the )?other (?:one|option|choice|cancel\w*|way)\b/u,
  decisionWords:
    /\b(?:cancel\w*|stop\w*|know|sure|decide\w*|think\w*|understand|agree|want to|points?|coupons?|benefits?|lose|losing|lost|wait\w*|rush\w*|hurry|regret|worth|mind|keep\w*|stay\w*|undo|refund\w*|charge\w*|pay\w*|membership|subscription|plan|account|data)\b/u,
  politeness: /\b(?:please|pls|plz|thanks|thank you|thank u|thx|ty|cheers|hi|hello|hey|kindly)\b/gu,
  immediacy:
    /\b(?:now|today|immediately|right away|straight away|asap|at once|refund|money back|refund me|instantly|this instant)\b/u,
  periodEnd:
    /\b(?:end|ends|ending|expire|expires|expiry|expiration|run out|runs out|lapse|renew|renewal|renewing|auto[- ]?renew|period|billing cycle|cycle|term|month|year|until|last day|finish|finishes|over|anymore|again|charge|charges|charging|bill|billing)\b/u,
  switching:
    /\b(?:switch|swap|change|move|downgrade|cheaper|cheap|lower|lite|basic|smaller|lesser|offer|other plan|that plan|instead)\b/u,
  yesFillers:
    /\b(?:cancel|cancel it|it|do it|do that|go ahead|then|just|please|that|my membership|membership|now then|and|lol)\b/gu,
  resend:
    /\b(?:resend|re-send|send (?:it )?again|send (?:me )?(?:a )?new(?: code)?|new code|another code|didn't get|did not get|didnt get|haven't got|haven't received|not received|never (?:came|arrived)|no code|didn't receive|didnt receive|didn't arrive|not arrived)\b/u,
  reminded: /\b(?:remind(?:ed|er|ers)?|notif(?:ied|y|ication)|warn(?:ed|ing)?)\b/u,
  nextCharge: /\b(?:charg(?:e|ed|es|ing)|bill(?:ed|ing|s)?|renew(?:s|ed|al|ing)?|payments?|pay next)\b/u,
  actionWords: {
    undo: /\b(?:undo|un do|put it back|(?:want|get|have) (?:my \w+|it) back|(?:cancell?ed|did)(?: it| that| my \w+)? by (?:accident|mistake)|accidentally cancell?ed|didn'?t mean to cancel|restore|reinstate|resume|reactivate|re-activate|keep|continue|carry on|turn (?:it )?back on|(?:turn|switch|put) (?:\w+ ){1,3}back on|(?:re-?enable|restart|resume|reactivate) (?:the |my )?auto[- ]?renew\w*|un-?cancel\w*|un cancel\w*|bring (?:it )?back|wants? it back|stay|staying|revert|take back|withdraw)\b/u,
    leave:
      /\b(?:leave it|as it is|as is|let it (?:cancel|end|expire|go|lapse|run out)|keep (?:it |the (?:membership |subscription )?)?cancell?ed|cancel anyway|still (?:want (?:it )?(?:to )?)?cancel\w*|still want (?:it )?(?:gone|out)|want it gone|still (?:want|wanna) (?:to )?(?:leave|quit|go|end it|stop)|go ahead with the cancel\w*|stay cancell?ed|let it be|leave the cancel\w*|(?:want|wanna|going|need) to (?:end|cancel|quit|stop)|done with it|i'?m done|let it go)\b/u,
    erase:
      /\b(?:delete[ds]?|erase[ds]?|remove[ds]?|wipe[ds]?|purged?|forget|forgotten|get rid of|nuke|scrub|destroy|trash)\b/u,
    keep: /\b(?:keep|leave (?:it|everything|my \w+)|don'?t (?:delete|erase|remove))\b/u,
    export: /\b(?:send|export|copy|email|e-mail|download|text)\b/u,
  },
  commands: {
    human:
      /^(?:human|agent|a human|a person|real person|a real person|live agent|live chat|operator|representative|customer service|support)$|\b(?:talk|speak|chat) (?:to|with) (?:a |an |some |the |your )?(?:real |live |actual )?(?:human|person|agent|someone|somebody|representative|rep|operator|staff|support|customer service)\b|\b(?:get|give|connect|transfer|put|pass|send) me (?:to |through to |with |over to )?(?:a |an |the )?(?:real |live )?(?:human|person|agent|representative|rep|operator|someone|support|customer service)\b|\b(?:i|we) (?:want|need|'d like|would like|wanna) (?:a |an |to talk to (?:a |an )?|to speak (?:to|with) (?:a |an )?|to talk with (?:a |an )?)(?:real |live )?(?:human|person|agent|representative|operator)\b|\b(?:human|agent|person|representative) please\b|\b(?:is there|are there|do you have|got) (?:a |an |any )?(?:real )?(?:human|person|agent|representative|people)s? (?:i can|to) (?:talk|speak|chat)\b/u,
    switchLanguage:
      /\b(?:switch|change) (?:the )?(?:language )?(?:to|into) (?:chinese|mandarin|english)\b|\b(?:speak|talk|write|reply|answer|respond|continue|chat|do this|text me|go on) (?:to me |with me )?in (?:chinese|mandarin|english)\b|^(?:in )?(?:chinese|mandarin|english|中文|英文)(?: please)?$|\b(?:can|could) (?:we|you) (?:do this|continue|talk|speak|switch|go|chat|use|reply|write) (?:in|to|into) (?:chinese|mandarin|english)\b|\b(?:chinese|mandarin|english) (?:please|instead)\b|\b(?:i don't|i do not|i can't|i cannot) (?:speak|read|understand) (?:english|chinese)\b/u,
    startOver:
      /^(?:(?:ok|okay|um|hmm|actually|sorry|wait|no),? )?(?:let'?s |can we |could we |i (?:want|wanna|need|'d like|would like) to |just )?(?:start (?:over|again)|start from (?:the )?(?:beginning|scratch|top|start)|restart|begin again|(?:go|take me|bring me) back to (?:the )?(?:start|beginning|main menu|menu)|back to (?:the )?(?:start|main menu|menu)|main menu|reset)(?: (?:this|the chat|the conversation|everything))?(?: from (?:the )?(?:beginning|scratch|top|start))?(?: please| pls)?(?:$|[,.;!])/u,
    quit: /^(?:(?:ok|okay|um|actually|sorry|just),? )?(?:quit|exit|stop|stop this|never ?mind|nvm|forget it|forget about it|bye|bye bye|goodbye|end (?:this|the) (?:chat|conversation)|i'?m done here|that'?s all|leave|close (?:this|the chat))(?: please| pls)?(?:$|[,.;!])|\b(?:exit|quit|leave|close|end) (?:this|the) (?:chat|conversation)\b/u,
    help: /^(?:help|help me|i need help|what can you do|menu|options)$/u,
    exportData:
      /\b(?:send|give|email|e-mail|export|download|show|get) (?:me )?(?:a )?(?:copy of )?(?:all )?(?:my|the) (?:personal )?(?:data|information|info|records)\b|\b(?:export|copy of) (?:my )?(?:personal )?(?:data|information|info)\b/u,
    eraseData:
      /\b(?:delete|erase|remove|wipe|purge|forget) (?:all )?(?:of )?my (?:personal )?(?:data|information|info|details|records|account)\b|\bright to (?:be forgotten|erasure)\b/u,
  },
  reasons: {
    expensive:
      /💸|💰|\b(?:expensive|exp[a-z]{0,3}n[sc]ive|price|prices|pricey|cost|costs|costly|too much|money|afford|budget|cheaper|cheap|pay|paying|fee|fees|worth|value|broke|save|saving|savings|overpriced|rip ?off|price hike|raised|insane|a month|per month|a year|bucks|dollars|tight|cash|can'?t afford|cut(?:ting)? back|cutting costs)\b|\$\d|💸|💰/u,
    service:
      /\b(?:service|support|crash|crashes|crashing|bug|bugs|buggy|slow|lag|laggy|quality|content|boring|nothing (?:new|good)?(?: to watch)?|not enough (?:new |good )?(?:stuff|content|shows|movies|songs|music|series)|mid|meh|mediocre|(?:small|tiny|weak|limited|old|stale) (?:library|catalog(?:ue)?|selection)|(?:library|catalog(?:ue)?|selection) (?:is|was|'s|feels) (?:so |too |really |very |pretty )?(?:small|tiny|weak|limited|old|stale|bad|poor|thin)|same old|nothing good|annoying|ads|broken|terrible|awful|useless|features?|app (?:is|keeps)|customer care|rude|buffer\w*|freez\w*|glitch\w*|waited|no one (?:answered|replied)|nobody (?:answered|replied)|disappoint\w*)\b/u,
    security:
      /\b(?:hack|hacked|hacking|hacker|stolen|compromised|breach|breached|security|secure|unsafe|fraud|fraudulent|scam|unauthori[sz]ed|suspicious|weird (?:codes|logins?|sms)|never requested|someone (?:else )?(?:logged|logging|logs|was logging|was using|used|using|got into|changed my password)|(?:charges?|payments?|purchases?) (?:on it |on my \w+ )?(?:i|that i) (?:didn'?t|did not|never) (?:make|made|authori[sz]e\w*|approve\w*)|(?:logg(?:ing|ed)|sign(?:ing|ed)|gett?ing|got|using|used) (?:in ?to|into|on ?to|in on) my (?:account|profile)|not me who|account (?:was |got )?(?:taken over|accessed)|logins? from|logged in from|password (?:got |was )?(?:leaked|stolen|changed)|leaked password|changed my password)\b/u,
    privacy:
      /\b(?:privacy|private|tracking|track|tracked|personal (?:data|info|information)|my data|collect|collects|collecting|collection|data (?:collection|sharing|sold)|share (?:my )?data|sharing (?:my )?data|advertisers|sell(?:ing)? my|spam|spamming|too many (?:emails|messages|texts))\b/u,
  },
  deniedReason:
    /\b(?:not(?! enough| many| much)|isn'?t|wasn'?t|it'?s not|nothing to do with)(?: (?:about|because of|because|due to|the|that|really|so|too|very|my))* [a-z]+\b/gu,
  noReason:
    /^(?:skip|pass|no|nah|nope|no thanks|rather not(?: say)?|i'?d rather not(?: say)?|prefer not to say|none of your business|no comment|not telling|n\/a|na|nothing|no reason|just because|doesn'?t matter|whatever)(?: lol| haha| lmao)?$|\b(?:skip(?: it| this(?: one| question)?)?|pass|rather not say|prefer not to say|nothing in particular|no comment)$/u,
  spelling: {
    keyWords: [
      'cancel',
      'cancellation',
      'subscription',
      'unsubscribe',
      'membership',
      'immediately',
      'immediate',
      'refund',
      'keep',
      'undo',
      'restore',
      'erase',
      'delete',
      'video',
      'music',
      'period',
      'renew',
      'renewal',
      'expire',
      'account',
      'charge',
      'please',
      'english',
      'chinese',
      'human',
      'agent',
      'expensive',
      'service',
      'privacy',
      'security',
      'annual',
      'monthly',
    ],
    glueWords: ['my', 'it', 'the', 'at', 'of', 'me', 'now', 'end', 'auto', 'data', 'plan', 'sub', 'pls'],
  },
  emailWords: { at: /(?<=\S) at (?=\S)/gu, dot: /(?<=\S) dot (?=\S)/gu },
  digitWords: {
    zero: '0',
    oh: '0',
    o: '0',
    one: '1',
    two: '2',
    three: '3',
    four: '4',
    five: '5',
    six: '6',
    seven: '7',
    eight: '8',
    nine: '9',
  },
  ordinals: [
    /^(?:the )?(?:first|1st|top)(?: one| option| choice)?$|^(?:one|no\.? ?1|number 1|#1|1|option 1|option one|number one)$/u,
    /^(?:the )?(?:second|2nd)(?: one| option| choice)?$|^(?:two|no\.? ?2|number 2|#2|2|option 2|option two|number two)$/u,
    /^(?:the )?(?:third|3rd)(?: one)?$|^(?:three|no\.? ?3|number 3|number three|#3|3|option 3|option three)$/u,
    /^(?:the )?(?:fourth|4th)(?: one)?$|^(?:four|4|number four|option four)$/u,
    /^(?:the )?(?:fifth|5th)(?: one)?$|^(?:five|5|number five|option five)$/u,
    /^(?:the )?(?:sixth|6th)(?: one)?$|^(?:six|6|number six|option six)$/u,
  ],
  lastOrdinal: /^(?:the )?(?:last|bottom|final|lowest)(?: one| option| choice)?$|^(?:the )?one at the bottom$/u,
  monthDay:
    /\b(?<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may(?= \d)|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?(?: (?<day>\d{1,2})(?:st|nd|rd|th)?)?\b/gu,
  months: [/^jan/u, /^feb/u, /^mar/u, /^apr/u, /^may/u, /^jun/u, /^jul/u, /^aug/u, /^sep/u, /^oct/u, /^nov/u, /^dec/u],
  ordinalLeads:
    /^(?:i'?ll (?:take|go with)|i (?:choose|pick|want)|i'?d like|let'?s (?:go with|do)|go with|go for|take|pick|choose|(?:please )?proceed with|do) /u,
  planWords: {
    video: ['video', 'videos', 'movies', 'movie', 'tv', 'shows', 'streaming'],
    music: ['music', 'songs', 'song', 'audio'],
    fitness: ['fitness', 'gym', 'workout', 'workouts'],
    cloud: ['cloud', 'storage', 'drive', 'backup'],
    annual: ['annual', 'yearly', 'year', 'annually'],
    monthly: ['monthly', 'month'],
    lite: ['lite'],
    '2tb': ['2tb', '2 tb', 'two terabyte', '2 terabyte', 'terabyte'],
  },
  genericPerkWords: ['voucher', 'coupon', 'session', 'ticket', 'discount', 'personal', 'renewal', 'membership'],
  placeValues: {},
  amounts: [
    /(?:[$¥￥]|\b(?:usd|rmb|cny) ?)(?<amount>\d+(?:\.\d{1,2})?)/gu,
    /\b(?<amount>\d+(?:\.\d{1,2})?) ?(?:dollars?|bucks|yuan|rmb|usd|cny|kuai|\/ ?mo(?:nth)?|\/ ?y(?:ea)?r|a month|a year|per month|per year|each month|each year|every month|every year|monthly|yearly|annually)\b/gu,
    /\b(?<amount>\d{2,}(?:\.\d{1,2})?) one\b/gu,
  ],
  billedEvery: {
    month:
      /\b(?:monthly|a month|per month|each month|every month|month to month|month-to-month|by the month|\/ ?mo(?:nth)?|billed every month)\b/u,
    year: /\b(?:yearly|annual|annually|a year|per year|each year|every year|once a year|by the year|\/ ?y(?:ea)?r)\b/u,
  },
  neutralWords: [
    'ok',
    'okay',
    'yes',
    'no',
    'ty',
    'vip',
    'app',
    'sms',
    'email',
    'id',
    'otp',
    'pro',
    'plus',
    'lol',
    'hmm',
    'emm',
    'ha',
    'haha',
    'wifi',
    'iphone',
    'ios',
    'android',
    'www',
    'com',
    'qq',
  ],
  excluding: /\b(?:not|except|apart from|other than)\b(?: (?:the|my))?/gu,
  clauseBreaks: /\bbut\b/gu,
  commandJoiners: /[,;.!]+(?=\s|$)|\b(?:and then|and also|and|then|also|plus|after that)\b/u,
  pickFillers: /\b(?:the|that|my|one|plan|membership|subscription|please)\b/gu,
};
