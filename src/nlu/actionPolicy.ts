import type { Act } from './acts.js';

/** Everything the bot can do that changes or sends something. */
export type Action =
  | 'cancelAtPeriodEnd'
  | 'cancelNow'
  | 'switchPlan'
  | 'undoCancellation'
  | 'eraseData'
  | 'exportData'
  | 'switchLanguage'
  | 'startOver'
  | 'handOff'
  | 'quit'
  | 'resendCode';

/**
 * What counts as evidence for an action:
 * - `yes`: a plain yes will do (the prompt asked about this one action, or it is the reversible option);
 * - `named`: the message must say the action in its own words ("now", "refund", "erase"), a yes is not enough;
 * - `command`: only the command's explicit wording (lexicon.commands), never a classifier's label.
 */
export type Evidence = 'yes' | 'named' | 'command';

export interface ActionRule {
  /** Cannot be taken back, or moves personal data. */
  irreversible: boolean;
  evidence: Evidence;
  /** Acts that stop it: the bot answers or asks again instead. */
  blockedBy: readonly Act[];
}

/** Every doubt a message can carry, the most telling first: it is the one the bot answers. */
export const DOUBTS: readonly Act[] = [
  'question',
  'otherPerson',
  'deferral',
  'condition',
  'hedge',
  'narrowed',
  'negation',
];

/** What must be absent before something that cannot be taken back: every doubt, and "probably" too. */
export const FIRM_DOUBTS: readonly Act[] = [...DOUBTS, 'tentative'];

/**
 * The one action policy. Irreversible or data-moving actions need words that name them and no doubt
 * at all; a bare yes only ever chooses what can be undone; commands leave a prompt only when named.
 * At the warning a yes names the period end, at a yes/no question the one action it asks about.
 */
export const ACTION_POLICY: Readonly<Record<Action, ActionRule>> = {
  cancelAtPeriodEnd: { irreversible: false, evidence: 'yes', blockedBy: DOUBTS },
  cancelNow: { irreversible: true, evidence: 'named', blockedBy: FIRM_DOUBTS },
  switchPlan: { irreversible: false, evidence: 'named', blockedBy: DOUBTS },
  undoCancellation: { irreversible: true, evidence: 'yes', blockedBy: FIRM_DOUBTS },
  eraseData: { irreversible: true, evidence: 'yes', blockedBy: FIRM_DOUBTS },
  exportData: { irreversible: true, evidence: 'yes', blockedBy: FIRM_DOUBTS },
  // A command's own refusal ("不用转人工", "no need to start over") is set aside before the reading,
  // so other words' doubts ("收不到验证码，转人工") never stop it.
  switchLanguage: { irreversible: false, evidence: 'command', blockedBy: [] },
  startOver: { irreversible: false, evidence: 'command', blockedBy: [] },
  handOff: { irreversible: false, evidence: 'command', blockedBy: [] },
  quit: { irreversible: false, evidence: 'command', blockedBy: [] },
  resendCode: { irreversible: false, evidence: 'named', blockedBy: [] },
};

/** What a message offers as evidence for one action. */
export interface Support {
  /** A plain yes and nothing else. */
  yes: boolean;
  /** The message names the action in its own words (or picks its button). */
  named: boolean;
  /** The command's explicit wording. */
  command: boolean;
}

/** Whether a message with these acts and this support may carry out `action`. */
export function permits(action: Action, support: Support, acts: ReadonlySet<Act>): boolean {
  const rule = ACTION_POLICY[action];
  if (rule.blockedBy.some((act) => acts.has(act))) return false;
  switch (rule.evidence) {
    case 'yes':
      return support.yes || support.named;
    case 'named':
      return support.named;
    case 'command':
      return support.command;
  }
}

/** The first doubt that stops `action`, to say why nothing happened. */
export function blockingAct(action: Action, acts: ReadonlySet<Act>): Act | undefined {
  return ACTION_POLICY[action].blockedBy.find((act) => acts.has(act));
}
