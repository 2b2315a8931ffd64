import type { Locale } from '../../src/i18n/languages.js';
import { conversation, type Seen } from './conversation.js';

export type Conv = Awaited<ReturnType<typeof conversation>>;
/** Every prompt a member can be at, in the order of a journey. */
export const PROMPTS: PromptId[] = [
  'identifierPrompt',
  'codePrompt',
  'membershipPrompt',
  'confirmPrompt',
  'reasonPrompt',
  'undoPrompt',
];

export type PromptId =
  'identifierPrompt' | 'codePrompt' | 'membershipPrompt' | 'confirmPrompt' | 'reasonPrompt' | 'undoPrompt';

export const WORDS: Record<
  Locale,
  {
    cancel: string;
    status: string;
    help: string;
    quit: string;
    startOver: string;
    human: string;
    other: string;
    ambiguous: string;
    periodEnd: string;
  }
> = {
  'zh-CN': {
    cancel: '我想取消会员',
    status: '查询会员',
    help: '帮助',
    quit: '退出',
    startOver: '重新开始',
    human: '转人工',
    other: 'English please',
    ambiguous: '取消',
    periodEnd: '到期后取消',
  },
  'en-US': {
    cancel: 'I want to cancel',
    status: 'check my membership',
    help: 'help',
    quit: 'quit',
    startOver: 'start over',
    human: 'talk to a human',
    other: '说中文',
    ambiguous: 'cancel',
    periodEnd: 'cancel at period end',
  },
};

/** Drives a new conversation up to the given prompt; returns it and the prompt as last shown. */
export async function reach(prompt: PromptId, l: Locale): Promise<{ c: Conv; shown: Seen }> {
  const c = await conversation();
  const w = WORDS[l];
  const steps: Record<PromptId, () => Promise<Seen[]>> = {
    identifierPrompt: () => c.say(w.cancel),
    codePrompt: async () => {
      await c.say(w.cancel);
      return c.say('13812345678');
    },
    membershipPrompt: async () => {
      await c.say(w.cancel);
      await c.say('13900001111');
      return c.say(c.lastCode());
    },
    confirmPrompt: async () => {
      await c.say(w.cancel);
      await c.say('13812345678');
      return c.say(c.lastCode());
    },
    reasonPrompt: async () => {
      await steps.confirmPrompt();
      return c.say(w.periodEnd);
    },
    undoPrompt: async () => {
      await c.say(w.status);
      await c.say('13700002222');
      return c.say(c.lastCode());
    },
  };
  const replies = await steps[prompt]();
  return { c, shown: replies.at(-1)! };
}
