import type { TurnContext } from 'botbuilder';

const NAMES = Symbol('names sent in this turn');

/**
 * Notes a member's name that the turn is about to send, so that the support transcript keeps it
 * masked: unlike a phone number or an e-mail, a name has no shape that maskText could find.
 */
export function noteName(context: TurnContext, name: string): void {
  if (!name) return;
  const names = context.turnState.get<Set<string> | undefined>(NAMES);
  if (names) names.add(name);
  else context.turnState.set(NAMES, new Set([name]));
}

/** The names noted in this turn so far. */
export function namesIn(context: TurnContext): string[] {
  return [...(context.turnState.get<Set<string> | undefined>(NAMES) ?? [])];
}
