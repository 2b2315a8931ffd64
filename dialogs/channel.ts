import { ActionTypes, ActivityTypes, InputHints, type Activity, type Attachment } from 'botbuilder';

const CARD_CHANNELS = new Set(['emulator', 'msteams', 'webchat', 'directline']);
const BUTTON_CHANNELS = new Set([...CARD_CHANNELS, 'chat', 'telegram', 'slack', 'facebook', 'line']);

/** Adaptive Cards where the channel renders them; plain text with the same facts elsewhere. */
export function rendersCards(channelId: string): boolean {
  return CARD_CHANNELS.has(channelId);
}

/**
 * A message with choices: quick replies where the channel has buttons, otherwise a numbered list
 * in the text (SMS-like channels), which the prompts also accept by number.
 */
export function messageWithChoices(channelId: string, text: string, choices: string[], attachments: Attachment[] = []): Partial<Activity> {
  const base: Partial<Activity> = { type: ActivityTypes.Message, inputHint: InputHints.ExpectingInput, attachments: attachments.length ? attachments : undefined };
  if (BUTTON_CHANNELS.has(channelId)) {
    return { ...base, text, suggestedActions: { to: [], actions: choices.map((c) => ({ type: ActionTypes.ImBack, title: c, value: c })) } };
  }
  return { ...base, text: `${text}\n${choices.map((c, i) => `${i + 1}. ${c}`).join('\n')}` };
}

export function plainMessage(text: string, attachments: Attachment[] = []): Partial<Activity> {
  return { type: ActivityTypes.Message, text, inputHint: InputHints.AcceptingInput, ...(attachments.length ? { attachments } : {}) };
}
