import type { Activity, Attachment } from 'botbuilder';

/** The parts of an Adaptive Card's JSON that hold visible text. */
export interface CardElement {
  type?: string;
  text?: string;
  facts?: { title: string; value: string }[];
  items?: CardElement[];
  columns?: CardElement[];
  body?: CardElement[];
}

/** The visible text of an Adaptive Card, in reading order: what a person sees, without layout. */
export function cardText(card: CardElement): string[] {
  const lines: string[] = [];
  const walk = (el: CardElement) => {
    if (el.type === 'TextBlock' && el.text) lines.push(el.text);
    // A Chinese title takes the full-width colon, as the text form of the same facts does.
    if (el.type === 'FactSet')
      for (const f of el.facts ?? [])
        lines.push(`${f.title}${/\p{Script=Han}/u.test(f.title) ? '：' : ': '}${f.value}`);
    for (const child of [...(el.body ?? []), ...(el.items ?? []), ...(el.columns ?? [])]) walk(child);
  };
  walk(card);
  return lines;
}

function attachmentText(attachment: Partial<Attachment>): string[] {
  if (attachment.contentType === 'application/vnd.microsoft.card.adaptive')
    return cardText(attachment.content as CardElement);
  return [`[${attachment.contentType ?? 'attachment'}]`];
}

/** A bot reply as terminal text, with its quick replies as numbered choices. */
export function renderForTerminal(activity: Partial<Activity>): { text: string; choices: string[] } {
  const parts: string[] = [];
  if (activity.text) parts.push(activity.text);
  for (const attachment of activity.attachments ?? [])
    parts.push(
      attachmentText(attachment)
        .map((l) => `  ${l}`)
        .join('\n'),
    );
  const choices = (activity.suggestedActions?.actions ?? []).map((a) => String(a.value ?? a.title));
  const titles = (activity.suggestedActions?.actions ?? []).map((a) => a.title ?? String(a.value));
  if (titles.length) parts.push(titles.map((title, i) => `  [${i + 1}] ${title}`).join('\n'));
  return { text: parts.join('\n'), choices };
}
