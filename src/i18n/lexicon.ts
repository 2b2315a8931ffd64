/**
 * The words the rules need in one language: what makes a reply a question, a hedge, a condition
 * or a negation, what a plain yes or no is. The classifier learns the rest from the corpus. Every
 * pattern runs on normalised text (normalize.ts) and must stay linear: plain alternations only.
 */
/** What a member can ask for at any prompt, by naming it. */
export type Command = 'human' | 'switchLanguage' | 'startOver' | 'quit' | 'help' | 'exportData' | 'eraseData';
/** The reasons the "why did you leave?" question records. */
export type ReasonGiven = 'expensive' | 'service' | 'security' | 'privacy';

export interface Lexicon {
  /** A whole reply that is a plain yes, once punctuation and politeness are gone. */
  affirmatives: readonly string[];
  /** A whole reply that is a plain no. */
  negatives: readonly string[];
  /** A whole reply that keeps the membership ("keep it", "保留"): a no at the warning, a yes to "undo the cancellation?". */
  keepWords: readonly string[];
  /** A no and nothing more ("no", "不"): to "what would you like to do?" it names no option. */
  bareNo: readonly string[];
  /**
   * A reply that says not which is kept, the membership or its cancellation ("keep it", "不要取消"): to
   * "undo the cancellation?" it may mean either.
   */
  keepWithoutObject: readonly string[];
  /** "Cancel" and nothing else: mid-conversation it may mean "stop this". */
  bareCancel: readonly string[];
  /** Makes a reply a question even without a question mark. */
  question: RegExp;
  /** Not deciding yet: "let me think", "hold on". */
  hedge: RegExp;
  /**
   * Deciding, but tentatively or with a "but": "probably", "I think", "应该是…吧", "不过". Enough for
   * what can be undone, not for the rest.
   */
  tentative: RegExp;
  /** Putting the decision off: "maybe next month", "下次再说". */
  deferral: RegExp;
  /** Asking for part of what is on offer: "only my phone number", "除了邮箱". */
  narrowed: RegExp;
  /** Speaking of someone else's account or data: "my son's", "我老婆的". */
  otherPerson: RegExp;
  /**
   * Someone else's account or data itself ("my wife's membership", "帮我妈把她的会员取消"), not
   * someone who uses the member's own ("my son signed up on my phone").
   */
  othersAccount: RegExp;
  /** Someone else's words reported ("my wife said", "我老公说要"): with an adoption after them, advice, not their account. */
  reportedSpeech: RegExp;
  /** The member taking reported advice as their own decision ("so do that", "那就这样吧"). */
  adoption: RegExp;
  /** Where a reason ends and the decision drawn from it starts ("…, so stop it at the end", "所以"). Global. */
  conclusion: RegExp;
  /** An opening that says what it is not: "I'm not cancelling", "我不是要取消". */
  negatedCancel: RegExp;
  /** Words that name an action at its yes/no question: undo, leave the cancellation, erase, export. */
  actionWords: Readonly<Record<'undo' | 'leave' | 'erase' | 'keep' | 'export', RegExp>>;
  /** Commands named explicitly, the only way to leave a prompt (a classifier's label never does). */
  commands: Readonly<Record<Command, RegExp>>;
  /** A free answer to "why did you leave?", by the reason it gives. */
  reasons: Readonly<Record<ReasonGiven, RegExp>>;
  /** A reason denied ("not the price", "不是因为贵", "贵倒不贵"): removed before the reasons are looked for. Global. */
  deniedReason: RegExp;
  /** Declining to give a reason: "rather not say", "不想说". */
  noReason: RegExp;
  /**
   * The language typed in Latin letters without an input method (pinyin), word by word, and its
   * digits: "qu xiao" is 取消, "yao san ba" is 138. Only languages with such a spelling have it.
   */
  romanized?: { words: Readonly<Record<string, string>>; digits: Readonly<Record<string, string>> };
  /**
   * Words whose near misses are read as them ("cancle", "vidoe"), the short words members run
   * them into ("cancelmymembership"), and common misspellings (nlu/spelling.ts).
   */
  spelling?: {
    keyWords: readonly string[];
    glueWords: readonly string[];
    /** Misspellings an input method makes of the language's key words ("到其" for 到期), and what was meant. */
    typos?: Readonly<Record<string, string>>;
  };
  /** An e-mail address said aloud: the words for "@" and "." between its parts ("jane at acme dot com"). Global. */
  emailWords: Readonly<{ at: RegExp; dot: RegExp }>;
  /** Digits said in words, as voice input writes them ("幺", "oh"); "double"/"两" handled by the reader. */
  digitWords: Readonly<Record<string, string>>;
  /** A member correcting themselves ("wait no", "不对"): what follows is what they mean. Global. */
  corrections: RegExp;
  /** A negation that takes nothing back ("不是不想取消", "一个都别留", "it's not that I don't want it gone"): set aside. Global. */
  doubleNegation: RegExp;
  /** A request turned down in passing ("不用转人工", "no need for an agent"), set aside before reading the rest. */
  dismissals: RegExp;
  /** A verb of wanting right after a negation ("don't want…", "不想…"): the negation then reaches the whole clause. */
  volition: RegExp;
  /** Closing words that end the deliberation ("就这样吧", "that's it"), at the end of a reply. */
  decisionCloser: RegExp;
  /** A thought that is over ("after thinking it over", "考虑之后"): no hesitation. Global. */
  settledThought: RegExp;
  /** A condition on the choice: "only if", "如果…的话". */
  condition: RegExp;
  /** A negation of the change itself (not of renewal or refund, which name an option). */
  negation: RegExp;
  /** Any negation word at all: an irreversible choice or a switch never comes with one ("don't refund"). */
  negationWord: RegExp;
  /**
   * The option of cancelling now turned down ("don't cancel it now", "不要退款", "现在不要停"): beside
   * words naming the period end, the reply chooses the period end. Global: every such span is removed.
   */
  refusedNow: RegExp;
  /**
   * The period end turned down ("not at the end", "不用等到期", "不是到期"): beside words naming
   * now, the reply chooses now, if nothing else in it doubts. Global.
   */
  refusedPeriodEnd: RegExp;
  /**
   * The renewal turned down, and nothing else ("i just don't want to be charged again", "别再扣我钱了"):
   * the period-end option in the member's words.
   */
  refusedRenewal: RegExp;
  /**
   * A reply that opens by refusing ("nope", "not yet", "先不删", "算了不弄了"): at a yes/no question it is
   * a no, unless what follows names the act again.
   */
  refusalLead: RegExp;
  /** Ending the automatic renewal ("turn off autopay", "关掉自动续费"): the period end in the member's words. */
  renewalOff: RegExp;
  /** A request put as a question ("could you please…", "能不能帮我…"): what follows is asked for, not asked about. */
  requestLead: RegExp;
  /** Keeping nothing of one's data ("don't keep anything", "我不希望你们保留任何信息"): erasing it all, in the member's words. */
  keepNothing: RegExp;
  /** Keeping the benefits until the period ends ("keep access until my month is up", "保留权益到月底"): the period end. */
  keptUntilEnd: RegExp;
  /** The option that can be undone, named by that ("whichever one i can still undo", "可以反悔的那个"): the period end. */
  reversibleOption: RegExp;
  /** Keeping turned down ("不想保留", "I don't want to keep it"): neither a keep nor a way of cancelling. */
  refusedKeep: RegExp;
  /** "The other one": beside a refusal of one of two ways of cancelling, the other way. */
  theOther: RegExp;
  /**
   * What a decision is made of, beyond the options' own words: knowing, being sure, waiting, losing
   * points or coupons. A negated clause with none of these nor of an option's words is beside the
   * point ("我英文不好，立即取消吧"); one with them is a doubt.
   */
  decisionWords: RegExp;
  /** Courtesy that says nothing by itself; removed before looking for a plain yes. */
  politeness: RegExp;
  /** An irreversible choice must say one of these: now, today, refund. */
  immediacy: RegExp;
  /** Choosing the period end says one of these: expiry, renewal, "run out". */
  periodEnd: RegExp;
  /** Taking the retention offer says one of these: switch, cheaper. */
  switching: RegExp;
  /** Words that may follow a plain yes without changing it ("yes, cancel it", "好的，取消吧"). */
  yesFillers: RegExp;
  /** Asking for the code again. */
  resend: RegExp;
  /** Asking about the next charge or renewal: when, how much ("when am I billed next", "下次扣多少"). */
  nextCharge: RegExp;
  /** Asking whether a renewal reminder was sent ("did you remind me", "你提醒过我吗"). */
  reminded: RegExp;
  /** Number words for picking from a list: index 0 is "first". */
  ordinals: readonly RegExp[];
  /** The last of a list, however long: "the last one", "bottom one", "最后那个". */
  lastOrdinal: RegExp;
  /** Words before a number word that say only "I pick" ("选第二个", "go with the first"). */
  ordinalLeads: RegExp;
  /** How members describe a plan, by a word of its id ("music-plus-annual"): "听歌那个", "the yearly one". */
  planWords: Readonly<Record<string, readonly string[]>>;
  /** Words in perks' names too common to tell one perk from another ("voucher", "会员"). */
  genericPerkWords: readonly string[];
  /** Words for tens, hundreds and thousands in numbers said in words ("十", "百"); none in English here. */
  placeValues: Readonly<Record<string, number>>;
  /** The word for the decimal point in a number said in words ("点"), if the language has one. */
  decimalPoint?: string;
  /** Sums of money named with a currency or a billing word; each global, with the number in the group `amount`. */
  amounts: readonly RegExp[];
  /** Words saying how often a membership is billed: "monthly", "a year", "按月", "每年扣". */
  billedEvery: Readonly<{ month: RegExp; year: RegExp }>;
  /**
   * A calendar date by month and maybe day ("December 10", "12月10号", "一月份"): group `month` is
   * the month's name or number, `day` the day. Global.
   */
  monthDay: RegExp;
  /** The month names or numerals `monthDay` captures, by month (index 0 is January). */
  months: readonly RegExp[];
  /** Words of this language that say nothing about the language a member writes in ("ok", "VIP"). */
  neutralWords: readonly string[];
  /** What comes before a choice set apart: "not the music one", "不是音乐那个", "except". Global. */
  excluding: RegExp;
  /** Words that join two clauses of a different sense ("but", "不过"), as a comma would. */
  clauseBreaks: RegExp;
  /**
   * Where a command may be joined to an answer ("…, then switch to Chinese", "…然后转人工"):
   * punctuation and joining words. Matched case-insensitively on the text as written.
   */
  commandJoiners: RegExp;
  /** Words around a plan's name that do not help tell plans apart ("the", "那个"). */
  pickFillers: RegExp;
}
