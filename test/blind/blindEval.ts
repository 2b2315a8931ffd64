import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { MemoryStorage } from 'botbuilder';
import { CONFIRM_PROMPT, MEMBERSHIP_PROMPT, REASON_PROMPT } from '../../dialogs/cancelMembershipDialog.js';
import type { BotServices } from '../../dialogs/botServices.js';
import type { ConversationData } from '../../dialogs/conversationData.js';
import { UNDO_PROMPT } from '../../dialogs/membershipStatusDialog.js';
import { CODE_PROMPT, IDENTIFIER_PROMPT } from '../../dialogs/verifyIdentityDialog.js';
import { ERASE_PROMPT } from '../../dialogs/personalDataDialog.js';
import { LOCALES, type Locale } from '../../src/i18n/languages.js';
import { t, type MessageKey } from '../../src/i18n/messages.js';
import { isErased, type Cancellation, type Member, type Membership } from '../../src/model/schema.js';
import { conversation, type Seen } from '../support/conversation.js';

/**
 * The blind evaluation: every item of every set in test/blind/*.json is said to the whole bot (the
 * composition root, in memory) at the prompt it names, and judged by what the bot then did: the
 * store before and after, the dialog it waits in, and what it said. Each prompt is reached once per
 * language; each item then runs in a fresh app (the seed's data) on a copy of that conversation's
 * state, so no item sees another's changes.
 */

/** Where the blind sets are (jest runs from the project root, as testConfig's seed path assumes). */
export const BLIND_DIR = resolve('test/blind');

export const PROMPT_KINDS = ['opening', 'warning', 'undo', 'erase', 'reason', 'code', 'phone', 'choose'] as const;
export type PromptKind = (typeof PROMPT_KINDS)[number];
/** The prompts whose answers act; code and phone answers are judged on the parsers alone (commands there in a conversation). */
type ActingPrompt = Exclude<PromptKind, 'code' | 'phone'>;

export interface BlindItem {
  id: string;
  locale: Locale;
  prompt: PromptKind;
  text: string;
  expect: string;
  target?: string;
  phenomena: string[];
}

export interface BlindSet {
  name: string;
  about: string;
  items: BlindItem[];
}

export interface Verdict {
  understood: boolean;
  actedOnMisreading: boolean;
  outcome: string;
}

export interface ItemResult {
  set: string;
  item: BlindItem;
  verdict: Verdict;
}

// ---------------------------------------------------------------- loading

/** The blind sets: every *.json directly in `dir` (not in its sub-folders), by name. */
export function blindSetFiles(dir = BLIND_DIR): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => (entry.isFile() || entry.isSymbolicLink()) && entry.name.endsWith('.json'))
    .map((entry) => join(dir, entry.name))
    .sort();
}

export function loadBlindSet(file: string): BlindSet {
  const json = JSON.parse(readFileSync(file, 'utf8')) as { about?: unknown; items?: unknown };
  if (!Array.isArray(json.items)) throw new Error(`${file}: no "items" array`);
  const items = json.items.map((raw, i) => checkedItem(raw, `${file} item ${i}`));
  return { name: basename(file, '.json'), about: typeof json.about === 'string' ? json.about : '', items };
}

export function loadBlindSets(dir = BLIND_DIR): BlindSet[] {
  return blindSetFiles(dir).map(loadBlindSet);
}

/** An item as the harness can run it, or an error naming what is wrong with it. */
function checkedItem(raw: unknown, where: string): BlindItem {
  const item = raw as Partial<BlindItem>;
  const problems = [
    typeof item.id !== 'string' && 'id',
    !LOCALES.includes(item.locale as Locale) && `locale ${String(item.locale)}`,
    !PROMPT_KINDS.includes(item.prompt as PromptKind) && `prompt ${String(item.prompt)}`,
    typeof item.text !== 'string' && 'text',
    typeof item.expect !== 'string' && 'expect',
  ].filter(Boolean);
  if (problems.length) throw new Error(`${where} (${String(item.id)}): bad ${problems.join(', ')}`);
  return { ...(item as BlindItem), phenomena: Array.isArray(item.phenomena) ? item.phenomena.map(String) : [] };
}

// ---------------------------------------------------------------- reaching each prompt

type Conv = Awaited<ReturnType<typeof conversation>>;

const PLAN_NAMES: Record<string, Record<Locale, string>> = {
  'video-vip-monthly': { 'zh-CN': '视频VIP月卡', 'en-US': 'Video VIP Monthly' },
  'music-plus-annual': { 'zh-CN': '音乐Plus年卡', 'en-US': 'Music Plus Annual' },
};

const PHONES = {
  /** zh-CN; two active memberships: ms-2002 video-vip-monthly, ms-2003 music-plus-annual. */
  'm-1002': '+86 139 0000 1111',
  /** zh-CN; ms-2004 video-vip-monthly pending_cancel (undoable). */
  'm-1003': '+86 137 0000 2222',
  /** zh-CN; a cancelled membership only (nothing running: erasable). */
  'm-1004': '+86 158 0000 3333',
  /** en-US; no membership (erasable). */
  'm-1008': '+1 415 555 0199',
} as const;

const DRIVE: Record<Locale, { status: string; cancel: string; erase: string }> = {
  'zh-CN': { status: '查询会员', cancel: '我想取消会员', erase: '删除我的个人数据' },
  'en-US': { status: 'check my membership', cancel: 'I want to cancel my membership', erase: 'erase my personal data' },
};

/** A conversation waiting at a prompt: its state, and (reason) what to say first in each copy. */
interface StartingPoint {
  locale: Locale;
  memory: Record<string, string>;
  /** Said in each copy before the item (the store must hold the cancellation the reason is for). */
  lead?: string;
  /** The prompt the conversation must be waiting at before the item is said. */
  at: string | null;
}

let seedCopy: string | undefined;
/**
 * The seed with a pro-rata refund on Video VIP Monthly, so that its warning offers "cancel now,
 * with refund" as the sets describe it (the seeded plan refunds nothing, which hides that option).
 */
function refundableSeed(): string {
  if (seedCopy) return seedCopy;
  const seed = JSON.parse(readFileSync('data/seed.json', 'utf8')) as { plans: { id: string; refundPolicy: string }[] };
  for (const plan of seed.plans) if (plan.id === 'video-vip-monthly') plan.refundPolicy = 'prorata';
  seedCopy = join(mkdtempSync(join(tmpdir(), 'blind-seed-')), 'seed.json');
  writeFileSync(seedCopy, JSON.stringify(seed));
  return seedCopy;
}

async function drivenConversation(l: Locale) {
  const memory: Record<string, string> = {};
  const c = await conversation({
    storage: new MemoryStorage(memory),
    locale: l,
    config: { SEED_FILE: refundableSeed() },
  });
  return { c, memory };
}

/** Says the request, then the member's phone and the code sent to it. */
async function requestVerified(c: Conv, request: string, phone: string): Promise<Seen[]> {
  await c.say(request);
  await c.say(phone);
  return c.say(c.lastCode());
}

function mustBeAt(memory: Record<string, string>, prompt: string | null, what: string): void {
  const at = leafOf(conversationStateIn(memory).stack);
  if (at !== prompt)
    throw new Error(
      `Could not reach ${what}: the conversation waits at ${at ?? 'nothing'}, not ${prompt ?? 'nothing'}`,
    );
}

async function startAtOpening(l: Locale): Promise<StartingPoint> {
  const { c, memory } = await drivenConversation(l);
  await requestVerified(c, DRIVE[l].status, PHONES['m-1002']);
  mustBeAt(memory, null, `the menu of a verified m-1002 (${l})`);
  return { locale: l, memory: { ...memory }, at: null };
}

async function startAtChoice(l: Locale): Promise<StartingPoint> {
  const { c, memory } = await drivenConversation(l);
  await requestVerified(c, DRIVE[l].cancel, PHONES['m-1002']);
  mustBeAt(memory, MEMBERSHIP_PROMPT, `the membership choice (${l})`);
  return { locale: l, memory: { ...memory }, at: MEMBERSHIP_PROMPT };
}

/** m-1002 at the warning for video-vip-monthly, and the warning's period-end choice as shown. */
async function warningOfVideo(l: Locale) {
  const { c, memory } = await drivenConversation(l);
  await requestVerified(c, DRIVE[l].cancel, PHONES['m-1002']);
  const replies = await c.say(PLAN_NAMES['video-vip-monthly'][l]);
  mustBeAt(memory, CONFIRM_PROMPT, `the warning for video-vip-monthly (${l})`);
  const periodEnd = replies.flatMap((r) => r.choices).find((title) => isMessage(title, 'cancel.option.periodEnd'));
  if (!periodEnd) throw new Error(`The warning (${l}) shows no period-end choice`);
  return { memory, periodEnd };
}

async function startAtWarning(l: Locale): Promise<StartingPoint> {
  const { memory } = await warningOfVideo(l);
  return { locale: l, memory: { ...memory }, at: CONFIRM_PROMPT };
}

async function startAtReason(l: Locale): Promise<StartingPoint> {
  const { memory, periodEnd } = await warningOfVideo(l);
  return { locale: l, memory: { ...memory }, lead: periodEnd, at: REASON_PROMPT };
}

async function startAtUndo(l: Locale): Promise<StartingPoint> {
  const { c, memory } = await drivenConversation(l);
  await requestVerified(c, DRIVE[l].status, PHONES['m-1003']);
  mustBeAt(memory, UNDO_PROMPT, `the undo question of m-1003 (${l})`);
  return { locale: l, memory: { ...memory }, at: UNDO_PROMPT };
}

async function startAtErase(l: Locale): Promise<StartingPoint> {
  const { c, memory } = await drivenConversation(l);
  await requestVerified(c, DRIVE[l].erase, l === 'en-US' ? PHONES['m-1008'] : PHONES['m-1004']);
  mustBeAt(memory, ERASE_PROMPT, `the erasure question (${l})`);
  return { locale: l, memory: { ...memory }, at: ERASE_PROMPT };
}

async function startAtIdentifier(l: Locale): Promise<StartingPoint> {
  const { c, memory } = await drivenConversation(l);
  await c.say(DRIVE[l].cancel);
  mustBeAt(memory, IDENTIFIER_PROMPT, `the identifier prompt (${l})`);
  return { locale: l, memory: { ...memory }, at: IDENTIFIER_PROMPT };
}

async function startAtCode(l: Locale): Promise<StartingPoint> {
  const { c, memory } = await drivenConversation(l);
  await c.say(DRIVE[l].cancel);
  await c.say(PHONES['m-1002']);
  mustBeAt(memory, CODE_PROMPT, `the code prompt (${l})`);
  return { locale: l, memory: { ...memory }, at: CODE_PROMPT };
}

/** Where each kind of item is said in a conversation (code and phone: only the commands). */
const STARTS: Record<PromptKind, (l: Locale) => Promise<StartingPoint>> = {
  phone: startAtIdentifier,
  code: startAtCode,
  opening: startAtOpening,
  choose: startAtChoice,
  warning: startAtWarning,
  reason: startAtReason,
  undo: startAtUndo,
  erase: startAtErase,
};

/** Each prompt reached once per language, on first need. */
class StartingPoints {
  private readonly reached = new Map<string, Promise<StartingPoint>>();

  at(prompt: PromptKind, l: Locale): Promise<StartingPoint> {
    const key = `${prompt}/${l}`;
    if (!this.reached.has(key)) this.reached.set(key, STARTS[prompt](l));
    return this.reached.get(key)!;
  }
}

// ---------------------------------------------------------------- reading the conversation state

interface DialogFrame {
  id: string;
  state?: {
    dialogs?: { dialogStack?: DialogFrame[] };
    values?: Record<string, unknown>;
    options?: Record<string, unknown>;
  };
}

interface ConversationStateView {
  data: ConversationData;
  /** The dialog stack, each frame with the stack of its own inner dialogs. */
  stack: DialogFrame[];
}

function conversationStateIn(memory: Record<string, string>): ConversationStateView {
  const key = Object.keys(memory).find((k) => k.includes('/conversations/'));
  const state = (key ? JSON.parse(memory[key]) : {}) as {
    conversationData?: ConversationData;
    dialogState?: { dialogStack?: DialogFrame[] };
  };
  return { data: state.conversationData ?? {}, stack: state.dialogState?.dialogStack ?? [] };
}

const innerStack = (frame: DialogFrame) => frame.state?.dialogs?.dialogStack ?? [];

/** The innermost dialog waiting (the top of each stack, inward), or null when the conversation is idle. */
function leafOf(stack: DialogFrame[]): string | null {
  const top = stack.at(-1);
  return top ? (leafOf(innerStack(top)) ?? top.id) : null;
}

/** The membership a cancellation under way is about (its waterfall, under the warning, keeps the id in its details). */
function membershipInStack(stack: DialogFrame[]): string | undefined {
  for (const frame of stack) {
    const id = frame.state?.options?.membershipId ?? frame.state?.values?.membershipId;
    if (typeof id === 'string') return id;
    const inner = membershipInStack(innerStack(frame));
    if (inner) return inner;
  }
  return undefined;
}

// ---------------------------------------------------------------- reading the store

/** The store as the judge compares it: personal fields opened, the conversation address left out. */
interface StoreView {
  memberships: Map<string, Membership>;
  cancellations: Map<string, Cancellation>;
  members: Map<string, Omit<Member, 'conversationReference'>>;
  notices: Map<string, string>;
  handoffs: number;
}

async function storeViewOf(c: Conv): Promise<StoreView> {
  const data = c.app.store.data;
  const members = new Map<string, Omit<Member, 'conversationReference'>>();
  for (const { id } of data.members) {
    const member = await c.app.repository.memberById(id);
    if (member) {
      const { conversationReference: _where, ...rest } = member;
      members.set(id, rest);
    }
  }
  return {
    memberships: new Map(data.memberships.map((m) => [m.id, structuredClone(m)])),
    cancellations: new Map(data.cancellations.map((x) => [x.reference, structuredClone(x)])),
    members,
    notices: new Map(data.outbox.filter((m) => m.template !== 'otp').map((m) => [m.id, m.template])),
    handoffs: data.handoffs.length,
  };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * What changed in the store, as acts: `cancel:<option>:<plan>`, `undo:<plan>`, `reason:<reason>`,
 * `erase`, `export`, `handoff`, and `changed:…` for anything else. A cancellation's and an undo's
 * own membership change and notice are part of that act.
 */
function actsBetween(before: StoreView, after: StoreView): string[] {
  const acts: string[] = [];
  const cancelled = new Set<string>();
  for (const [reference, x] of after.cancellations) {
    const was = before.cancellations.get(reference);
    if (!was) {
      acts.push(`cancel:${x.option}:${x.planId}`);
      cancelled.add(x.membershipId);
    } else if (x.reason !== was.reason) acts.push(`reason:${x.reason ?? '(removed)'}`);
    // An undo marks its cancellation undone: the membership's change below names the act.
    else if (!same({ ...x, undoneAt: undefined }, { ...was, undoneAt: undefined }))
      acts.push(`changed:cancellation:${reference}`);
  }
  for (const [id, m] of after.memberships) {
    const was = before.memberships.get(id);
    if (same(m, was) || cancelled.has(id)) continue;
    if (was?.status === 'pending_cancel' && m.status === 'active') acts.push(`undo:${m.planId}`);
    else acts.push(`changed:membership:${m.planId}:${m.status}`);
  }
  for (const [id, m] of after.members) {
    if (same(m, before.members.get(id))) continue;
    acts.push(isErased(m) ? 'erase' : `changed:member:${id}`);
  }
  for (const [id, template] of after.notices) {
    if (before.notices.has(id) || template.startsWith('cancellation-')) continue;
    // An SMS member's copy goes by e-mail, and a short text says where: both are the export.
    acts.push(template === 'data-export' || template === 'data-export-sent' ? 'export' : `notice:${template}`);
  }
  for (let i = before.handoffs; i < after.handoffs; i++) acts.push('handoff');
  return acts;
}

// ---------------------------------------------------------------- reading what the bot said

/** What a reply can tell: each sign is a catalog message, in either language. */
const SIGNS = {
  statusShown: ['status.intro', 'status.introMany'],
  eraseBlocked: ['privacy.erase.blocked'],
  eraseKept: ['privacy.erase.kept'],
  exportShown: ['privacy.export.intro'],
  kept: ['cancel.kept'],
  unclearEnd: ['cancel.unclearEnd'],
  left: ['status.left'],
  languageSwitched: ['language.switched'],
  welcome: ['welcome'],
  quit: ['quit.done', 'quit.afterCancel'],
  handoffSaid: ['handoff.recorded'],
  askedWhichCancel: ['ambiguous.question'],
} satisfies Record<string, MessageKey[]>;
type Sign = keyof typeof SIGNS;

const patterns = new Map<string, RegExp>();

/** A catalog message as a pattern: its placeholders match anything; it must start a line of the reply. */
function messagePattern(l: Locale, key: MessageKey): RegExp {
  const id = `${l}/${key}`;
  if (!patterns.has(id)) {
    const escaped = t(l, key).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    patterns.set(id, new RegExp(`(^|\\n)${escaped.replace(/\\\{\w+\\\}/g, '[\\s\\S]*?')}`));
  }
  return patterns.get(id)!;
}

function isMessage(text: string, key: MessageKey): boolean {
  return LOCALES.some((l) => messagePattern(l, key).test(text));
}

function signsIn(replies: Seen[]): Set<Sign> {
  const texts = replies.map((r) => [r.text, ...r.cards].join('\n'));
  const signs = new Set<Sign>();
  for (const [sign, keys] of Object.entries(SIGNS) as [Sign, MessageKey[]][]) {
    if (texts.some((text) => keys.some((key) => isMessage(text, key)))) signs.add(sign);
  }
  return signs;
}

// ---------------------------------------------------------------- one item in a conversation

interface Observation {
  acts: string[];
  signs: Set<Sign>;
  /** The prompt waiting after the item, or null when idle. */
  at: string | null;
  /** At the warning: the plan it is about. */
  warningPlan?: string;
  awaitingCancelMeaning: boolean;
  localeChanged: boolean;
}

/** Says the item in a fresh app on a copy of the starting point's state, and observes the result. */
async function observeItem(item: BlindItem, start: StartingPoint): Promise<Observation> {
  const memory = { ...start.memory };
  const c = await conversation({
    storage: new MemoryStorage(memory),
    locale: start.locale,
    config: { SEED_FILE: refundableSeed() },
  });
  const led = start.lead === undefined ? [] : await c.say(start.lead);
  mustBeAt(memory, start.at, `${start.at ?? 'the menu'} before ${item.id} (after "${start.lead}": ${c.text(led)})`);
  const before = { store: await storeViewOf(c), state: conversationStateIn(memory) };
  const replies = await c.say(item.text);
  const after = { store: await storeViewOf(c), state: conversationStateIn(memory) };
  const at = leafOf(after.state.stack);
  const membershipId = at === CONFIRM_PROMPT ? membershipInStack(after.state.stack) : undefined;
  return {
    acts: actsBetween(before.store, after.store),
    signs: signsIn(replies),
    at,
    warningPlan: membershipId ? after.store.memberships.get(membershipId)?.planId : undefined,
    awaitingCancelMeaning: after.state.data.awaitingCancelMeaning === true,
    localeChanged: before.state.data.locale !== after.state.data.locale,
  };
}

function outcomeText(o: Observation): string {
  const where = o.at === null ? 'idle' : o.warningPlan ? `at ${o.at}(${o.warningPlan})` : `at ${o.at}`;
  const parts = [
    ...o.acts,
    ...[...o.signs].sort(),
    ...(o.awaitingCancelMeaning ? ['askedStopOrCancel'] : []),
    ...(o.localeChanged ? ['localeChanged'] : []),
    where,
  ];
  return parts.join(', ');
}

// ---------------------------------------------------------------- judging

const isCommand = (expect: string) => expect.startsWith('cmd:');

/** The store changes the expectation asks for; any other act acts on a misreading. */
function expectedActs(item: BlindItem): string[] {
  const { prompt, expect } = item;
  if (expect === 'cmd:human' || (prompt === 'opening' && expect === 'human')) return ['handoff'];
  if (prompt === 'opening' && expect === 'export') return ['export'];
  if (prompt === 'warning' && (expect === 'period_end' || expect === 'immediate'))
    return [`cancel:${expect}:video-vip-monthly`];
  if (prompt === 'undo' && expect === 'undo') return ['undo:video-vip-monthly'];
  if (prompt === 'erase' && expect === 'erase') return ['erase'];
  return [];
}

/**
 * What a command joined to the answer asks for besides it ("…, then get me a person"): writers
 * tag such items `command-appended`. The answer is still what is judged.
 */
function askedBeside(item: BlindItem): string[] {
  return item.phenomena.includes('command-appended') ? ['handoff'] : [];
}

/**
 * Acts nobody asked for; at the reason question a language switch or a restart counts too. The
 * reason recorded is a label on a cancellation already made, so a wrong one is misunderstood, not acted on.
 */
function unexpectedActs(item: BlindItem, o: Observation): string[] {
  const expected = [...expectedActs(item), ...askedBeside(item)];
  const acts = o.acts.filter((act) => !expected.includes(act) && !act.startsWith('reason:'));
  if (item.prompt === 'reason') {
    const switchAsked = item.expect === 'cmd:switchLanguage' || askedBeside(item).length > 0;
    if (o.signs.has('languageSwitched') && !switchAsked) acts.push('switchLanguage');
    if (o.signs.has('welcome') && item.expect !== 'cmd:startOver') acts.push('startOver');
  }
  return acts;
}

const hasExactly = (acts: string[], wanted: string[]) => same([...acts].sort(), [...wanted].sort());

/** Whether a command ran, and nothing else happened. */
function commandRan(item: BlindItem, o: Observation): boolean {
  const idle = o.at === null;
  const menuAtOpening = item.prompt === 'opening' && idle && o.acts.length === 0;
  switch (item.expect) {
    case 'cmd:human':
      return hasExactly(o.acts, ['handoff']);
    case 'cmd:switchLanguage':
      return o.signs.has('languageSwitched') && o.localeChanged && o.acts.length === 0;
    case 'cmd:startOver':
      return (idle && o.signs.has('welcome') && o.acts.length === 0) || menuAtOpening;
    case 'cmd:quit':
      return (idle && o.signs.has('quit') && o.acts.length === 0) || menuAtOpening;
    default:
      return false;
  }
}

const inCancelFlow = (o: Observation) => o.at === MEMBERSHIP_PROMPT || o.at === CONFIRM_PROMPT;
const atWarningOf = (o: Observation, plan: string) => o.at === CONFIRM_PROMPT && o.warningPlan === plan;

function openingUnderstood(item: BlindItem, o: Observation): boolean {
  const towardsCancel = !item.target
    ? inCancelFlow(o)
    : item.target in PLAN_NAMES
      ? atWarningOf(o, item.target)
      : // m-1002 holds no such plan: asking which of the member's own is right.
        o.at === MEMBERSHIP_PROMPT;
  switch (item.expect) {
    case 'cancel':
      return towardsCancel;
    case 'refundQuestion':
      return towardsCancel || (o.signs.has('statusShown') && !inCancelFlow(o));
    case 'status':
      return o.signs.has('statusShown') && !inCancelFlow(o);
    case 'export':
    case 'human':
      return true; // the act itself is checked
    case 'erase':
      return o.at === ERASE_PROMPT || o.signs.has('eraseBlocked');
    case 'none':
      return (
        o.at === null &&
        !(['statusShown', 'eraseBlocked', 'exportShown', 'languageSwitched'] as const).some((s) => o.signs.has(s))
      );
    default:
      return false;
  }
}

/** The expectations each prompt knows; an item expecting anything else is never understood. */
const KNOWN_EXPECTS: Record<ActingPrompt, string[]> = {
  opening: ['cancel', 'status', 'refundQuestion', 'export', 'erase', 'human', 'none'],
  warning: ['period_end', 'immediate', 'keep', 'none'],
  undo: ['undo', 'no', 'none'],
  erase: ['erase', 'no', 'none'],
  reason: ['expensive', 'service', 'security', 'privacy', 'other', 'skip'],
  choose: [...Object.keys(PLAN_NAMES), 'none'],
};

/** A yes/no question: "no" ends it, "none" leaves it waiting; the yes is the act (checked apart). */
function yesNoNone(item: BlindItem, o: Observation, prompt: string): boolean {
  if (item.expect === 'no') return o.at !== prompt && !o.awaitingCancelMeaning;
  if (item.expect === 'none') return o.at === prompt;
  return KNOWN_EXPECTS[item.prompt as ActingPrompt].includes(item.expect);
}

/** Whether the outcome is the one expected at each acting prompt (the acts are checked apart). */
const UNDERSTOOD: Record<ActingPrompt, (item: BlindItem, o: Observation) => boolean> = {
  opening: openingUnderstood,
  warning: (item, o) =>
    item.expect === 'keep'
      ? o.signs.has('kept') && o.at !== CONFIRM_PROMPT
      : item.expect === 'none'
        ? o.at === CONFIRM_PROMPT
        : KNOWN_EXPECTS.warning.includes(item.expect),
  undo: (item, o) => yesNoNone(item, o, UNDO_PROMPT),
  erase: (item, o) => yesNoNone(item, o, ERASE_PROMPT),
  reason: (item, o) =>
    KNOWN_EXPECTS.reason.includes(item.expect) &&
    (item.expect === 'skip'
      ? !o.acts.some((act) => act.startsWith('reason:'))
      : o.acts.includes(`reason:${item.expect}`)),
  choose: (item, o) => (item.expect === 'none' ? o.at === MEMBERSHIP_PROMPT : atWarningOf(o, item.expect)),
};

function judgeObservation(item: BlindItem, o: Observation): Verdict {
  const unexpected = unexpectedActs(item, o);
  const expected = expectedActs(item);
  const actsAsAsked = expected.every((act) => o.acts.includes(act)) && unexpected.length === 0;
  const outcomeAsAsked = isCommand(item.expect)
    ? commandRan(item, o)
    : UNDERSTOOD[item.prompt as ActingPrompt](item, o);
  return {
    understood: actsAsAsked && outcomeAsAsked,
    actedOnMisreading: unexpected.length > 0,
    outcome: outcomeText(o),
  };
}

// ---------------------------------------------------------------- entity-level prompts

/** The national digits of a phone (without +86 / +1), or the e-mail as parsed. */
function identifierText(services: BotServices, text: string): string {
  const parsed = services.parseIdentifier(text);
  if (!parsed) return 'none';
  return parsed.kind === 'email' ? parsed.value : parsed.value.replace(/^\+(86|1)/, '');
}

/**
 * The expected identifier as identifierText gives it: where the member typed a country code
 * ("+1 415 555 0199") and the writer kept it in the expectation, it goes there too.
 */
function expectedIdentifier(expect: string, text: string): string {
  if (expect.includes('@') || expect === 'none') return expect.toLowerCase();
  const digits = expect.replace(/\D/g, '');
  const code = /(?:^|\D)(?:\+|00)(86|1)\D*\d/u.exec(text)?.[1];
  return code && digits.startsWith(code) ? digits.slice(code.length) : digits;
}

/** Code and phone items, judged on the parser the verification dialog uses. */
function judgeEntity(item: BlindItem, services: BotServices): Verdict {
  const found =
    item.prompt === 'code'
      ? String(services.understanding.codeIn(item.text) ?? 'none')
      : identifierText(services, item.text);
  const wanted = item.prompt === 'code' ? item.expect : expectedIdentifier(item.expect, item.text);
  return { understood: found === wanted, actedOnMisreading: false, outcome: found };
}

// ---------------------------------------------------------------- running the sets

export class BlindEvaluation {
  private readonly starts = new StartingPoints();
  private services?: BotServices;

  async runSet(set: BlindSet): Promise<ItemResult[]> {
    const results: ItemResult[] = [];
    for (const item of set.items) results.push({ set: set.name, item, verdict: await this.judge(item) });
    return results;
  }

  async judge(item: BlindItem): Promise<Verdict> {
    const entity = item.prompt === 'code' || item.prompt === 'phone';
    if (entity && !isCommand(item.expect)) return judgeEntity(item, await this.entityServices());
    const start = await this.starts.at(item.prompt, item.locale);
    return judgeObservation(item, await observeItem(item, start));
  }

  private async entityServices(): Promise<BotServices> {
    this.services ??= (await conversation()).app.services;
    return this.services;
  }
}

// ---------------------------------------------------------------- the report

export interface TallyRow {
  key: string;
  items: number;
  understood: number;
  acts: number;
}

/** Items, understood and acts on a misreading, per key (an item with several keys counts under each). */
export function tally(results: ItemResult[], keysOf: (r: ItemResult) => string[]): TallyRow[] {
  const rows = new Map<string, TallyRow>();
  for (const r of results) {
    for (const key of keysOf(r)) {
      const row = rows.get(key) ?? { key, items: 0, understood: 0, acts: 0 };
      row.items += 1;
      row.understood += r.verdict.understood ? 1 : 0;
      row.acts += r.verdict.actedOnMisreading ? 1 : 0;
      rows.set(key, row);
    }
  }
  return [...rows.values()].sort((a, b) => a.key.localeCompare(b.key));
}

export const understoodPercent = (rows: { items: number; understood: number }[]): number => {
  const items = rows.reduce((n, r) => n + r.items, 0);
  return items ? (100 * rows.reduce((n, r) => n + r.understood, 0)) / items : 0;
};

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');

function tallyTable(title: string, rows: TallyRow[]): string {
  const lines = rows.map((r) => `| ${cell(r.key)} | ${r.items} | ${understoodPercent([r]).toFixed(1)}% | ${r.acts} |`);
  return [`| ${title} | items | understood | misreading acts |`, '|---|---:|---:|---:|', ...lines].join('\n');
}

function misreadTable(results: ItemResult[]): string {
  const misread = results.filter((r) => !r.verdict.understood || r.verdict.actedOnMisreading);
  if (!misread.length) return '_No misread items._';
  const lines = misread.map(
    ({ item, verdict }) =>
      `| ${cell(item.id)} | ${item.prompt} | ${item.locale} | ${cell(item.text)} | ${cell(item.expect)}${item.target ? ` → ${item.target}` : ''} | ${cell(verdict.outcome)} | ${verdict.actedOnMisreading ? '**ACTED**' : ''} |`,
  );
  return ['| id | prompt | locale | text | expect | outcome | act |', '|---|---|---|---|---|---|---|', ...lines].join(
    '\n',
  );
}

/** The markdown report of one run: per set, prompt, locale and phenomenon, then the misread items. */
export function markdownReport(results: ItemResult[]): string {
  return [
    '## Blind evaluation',
    tallyTable(
      'set',
      tally(results, (r) => [r.set]),
    ),
    tallyTable(
      'prompt',
      tally(results, (r) => [r.item.prompt]),
    ),
    tallyTable(
      'locale',
      tally(results, (r) => [r.item.locale]),
    ),
    tallyTable(
      'phenomenon',
      tally(results, (r) => r.item.phenomena),
    ),
    `### Misread items (${results.filter((r) => !r.verdict.understood || r.verdict.actedOnMisreading).length})`,
    misreadTable(results),
  ].join('\n\n');
}

/** "id: text → outcome (expect)" for each act on a misreading, for a failure message. */
export function misreadingActs(results: ItemResult[]): string[] {
  return results
    .filter((r) => r.verdict.actedOnMisreading)
    .map(
      ({ item, verdict }) =>
        `${item.id} [${item.prompt}/${item.locale}] "${item.text}" expect ${item.expect}: ${verdict.outcome}`,
    );
}
