import type { Activity } from 'botbuilder';
import { diff } from 'jest-diff';
import { cardText, type CardElement } from '../../src/terminalRender.js';

/**
 * What a comparison looks at in a bot reply: what the user sees and how the channel is told to
 * show it. Ids, timestamps, service URLs and conversation ids are left out on purpose. JSON
 * round-tripping drops the `undefined` fields live activities carry (e.g. CardAction.channelData).
 */
export function project(activity: Partial<Activity>) {
  const plain = JSON.parse(JSON.stringify(activity)) as Partial<Activity>;
  return {
    type: plain.type,
    text: plain.text ?? '',
    inputHint: plain.inputHint ?? null,
    quickReplies: (plain.suggestedActions?.actions ?? []).map((a) => a.title ?? String(a.value)),
    attachments: (plain.attachments ?? []).map((a) => ({
      contentType: a.contentType,
      visibleText:
        a.contentType === 'application/vnd.microsoft.card.adaptive' ? cardText(a.content as CardElement) : [],
    })),
  };
}

/** Fails with the scenario, the step and a readable diff when a reply is not what was recorded. */
export function assertSameReply(
  scenario: string,
  step: number,
  expected: Partial<Activity> | undefined,
  actual: Partial<Activity> | undefined,
): void {
  const e = expected ? project(expected) : null;
  const a = actual ? project(actual) : null;
  if (JSON.stringify(e) === JSON.stringify(a)) return;
  throw new Error(
    `Transcript "${scenario}", step ${step}: the bot's reply differs from the transcript.\n${diff(e, a, { aAnnotation: 'Transcript', bAnnotation: 'Bot now' })}`,
  );
}
