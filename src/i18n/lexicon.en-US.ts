import type { Lexicon } from '../nlu/lexicon.js';

/** English: matched on lower-cased text; words are bounded so "now" is not found in "know". */
export const enUS: Lexicon = {
  affirmatives: ['yes', 'yeah', 'yea', 'yep', 'yup', 'sure', 'ok', 'okay', 'fine', 'confirm', 'confirmed', 'go ahead', 'do it', 'yes do it', 'yess', 'yesss', 'sure thing', 'definitely', 'absolutely', 'of course', 'affirmative', 'yes confirmed', 'sounds good', 'alright', 'all right', 'agreed', 'correct', 'yes cancel', 'yes cancel it', 'ok cancel it', 'sure go ahead', 'ok go ahead'],
  negatives: ['no', 'n', 'nope', 'nah', 'no thanks', 'keep', 'keep it', 'keep my membership', 'dont', 'do not', 'not now', 'no way'],
  bareCancel: ['cancel', 'cancel it'],
  question: /^(?:what|how|why|when|where|which|who|will|would i|do (?:i|you|we|they)|does|did|is|are|am|should|shall|can i|could i|may i|might|isn't|aren't|won't|wouldn't)\b|\bwhat if\b|\bwhat about\b|\b(?:explain|tell me|show me|repeat|say that again|more info|details|remind me)\b|\bhow (?:much|many|long)\b|\bor not\b/u,
  hedge: /\b(?:but|however|although|not sure|unsure|think about|think it over|thinking|let me think|maybe|perhaps|hold on|hang on|wait|later|not yet|hmm+|idk|i don't know|dunno|undecided|considering|on second thought|one sec|a sec|a moment)\b/u,
  condition: /\b(?:if|unless|only if|provided|as long as|in case|assuming|depends)\b/u,
  // "don't renew", "no refund" name the period-end option; other negations stop a yes.
  negation: /\b(?:don't|dont|do not|no|not|never|nah|nope)\b(?! (?:renew|renewing|auto-?renew|charge|charging|bill|billing|refund|need a refund|need the refund|more charges|want (?:it )?to renew|want to be charged|want any more charges|need it to renew))|\bactually\b|\bchanged my mind\b/u,
  negationWord: /\b(?:don't|dont|do not|doesn't|no|not|never|nah|nope|without)\b/u,
  politeness: /\b(?:please|pls|plz|thanks|thank you|thank u|thx|ty|cheers|hi|hello|hey|kindly)\b/gu,
  immediacy: /\b(?:now|today|immediately|right away|straight away|asap|at once|refund|money back|refund me|instantly|this instant)\b/u,
  periodEnd: /\b(?:end|ends|ending|expire|expires|expiry|expiration|run out|runs out|lapse|renew|renewal|renewing|auto-?renew|period|billing cycle|cycle|term|month|year|until|last day|finish|finishes|over|anymore|again|charge|charges|charging|bill|billing)\b/u,
  switching: /\b(?:switch|swap|change|move|downgrade|cheaper|cheap|lower|lite|basic|smaller|lesser|offer|other plan|that plan|instead)\b/u,
  yesFillers: /\b(?:cancel|cancel it|it|do it|do that|go ahead|then|just|please|that|my membership|membership|now then)\b/gu,
  resend: /\b(?:resend|re-send|send (?:it )?again|send (?:me )?(?:a )?new(?: code)?|new code|another code|didn't get|did not get|didnt get|haven't got|haven't received|not received|never (?:came|arrived)|no code|didn't receive|didnt receive|didn't arrive|not arrived)\b/u,
  ordinals: [/^(?:the )?(?:first|1st)(?: one)?$|^(?:one|no\.? ?1|number 1|#1|1)$/u, /^(?:the )?(?:second|2nd)(?: one)?$|^(?:two|no\.? ?2|number 2|#2|2)$/u, /^(?:the )?(?:third|3rd)(?: one)?$|^(?:three|no\.? ?3|number 3|#3|3)$/u, /^(?:the )?(?:fourth|4th)(?: one)?$|^(?:four|4)$/u, /^(?:the )?(?:fifth|5th)(?: one)?$|^(?:five|5)$/u, /^(?:the )?(?:sixth|6th)(?: one)?$|^(?:six|6)$/u],
  planWords: {
    video: ['video', 'videos', 'movies', 'movie', 'tv', 'shows', 'streaming'],
    music: ['music', 'songs', 'song', 'audio'],
    fitness: ['fitness', 'gym', 'workout', 'workouts'],
    cloud: ['cloud', 'storage', 'drive', 'backup'],
    annual: ['annual', 'yearly', 'year', 'annually'],
    monthly: ['monthly', 'month'],
  },
  neutralWords: ['ok', 'okay', 'yes', 'no', 'ty', 'vip', 'app', 'sms', 'email', 'id', 'otp', 'pro', 'plus', 'lol', 'hmm', 'emm', 'ha', 'haha', 'wifi', 'iphone', 'ios', 'android', 'www', 'com', 'qq'],
  pickFillers: /\b(?:the|that|my|one|plan|membership|subscription|please)\b/gu,
};
