import type { Activity } from 'botbuilder';
import { REFERENCE_IN_TEXT } from '../membership/referenceNumber.js';

/** Set on a notice the page keeps but does not show: the answer above it is the same receipt. */
export const RECEIPT_SHOWN = 'webchat:receipt-shown';

/**
 * Whether an in-app notice is the receipt of the page's last turn, which its answer already showed:
 * the notice names a reference, it was composed between the member's last message and the last
 * answer to it (the event happened in that turn, not on another device later), and one of those
 * answers names the same reference. Resolves to that reference, else undefined.
 */
export function receiptShownIn(history: Partial<Activity>[], text: string, composedAt: string): string | undefined {
  const reference = REFERENCE_IN_TEXT.exec(text)?.[0];
  if (!reference) return undefined;
  const lastAsked = history.findLastIndex((a) => a.from?.role === 'user');
  if (lastAsked < 0) return undefined;
  const answers = history
    .slice(lastAsked + 1)
    .filter((a) => !(a.channelData as Record<string, unknown>)?.[RECEIPT_SHOWN]);
  const last = answers.at(-1);
  const at = Date.parse(composedAt);
  const within =
    last !== undefined &&
    at >= Date.parse(String(history[lastAsked].timestamp)) &&
    at <= Date.parse(String(last.timestamp));
  return within && answers.some((a) => a.text?.includes(reference)) ? reference : undefined;
}
