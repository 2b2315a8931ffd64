import type { Command, Lexicon } from '../i18n/lexicon.js';

/** A command asked beside an answer, and the answer's own words. */
export interface AppendedCommand {
  command: Command;
  /** The message without the command's clause, as the member wrote it. */
  rest: string;
}

/** The commands that may follow an answer: each changes nothing the answer decides. */
const APPENDABLE: readonly Command[] = ['human', 'switchLanguage', 'startOver'];

/**
 * "End of period please, then switch to Chinese", "撤销吧 然后转人工": the message split where the
 * lexicons join clauses, one command in clauses of its own and the rest without any. Null when
 * the message is the command alone, or names several, or its rest names one too.
 */
export function appendedCommand(
  text: string,
  lexicons: readonly Lexicon[],
  commandOf: (clause: string) => Command | null,
): AppendedCommand | null {
  const clauses = clausesOf(text, lexicons);
  const commands = clauses.map(commandOf);
  const named = new Set(commands.filter((c): c is Command => c !== null));
  if (named.size !== 1) return null;
  const [command] = named;
  if (!APPENDABLE.includes(command)) return null;
  const rest = clauses.filter((_, i) => commands[i] === null).join(', ');
  if (!rest || commandOf(rest) !== null) return null;
  return { command: command, rest };
}

function clausesOf(text: string, lexicons: readonly Lexicon[]): string[] {
  let marked = text;
  for (const l of lexicons) marked = marked.replace(new RegExp(l.commandJoiners.source, 'giu'), '\u0000');
  return marked
    .split('\u0000')
    .map((c) => c.replace(/^[\s\p{P}]+|[\s\p{P}]+$/gu, ''))
    .filter((c) => /[\p{L}\p{N}]/u.test(c));
}
