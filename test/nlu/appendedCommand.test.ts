import { LANGUAGES, LOCALES } from '../../src/i18n/languages.js';
import { appendedCommand } from '../../src/nlu/appendedCommand.js';
import { loadModels } from '../../src/nlu/models.js';
import { Understanding } from '../../src/nlu/understanding.js';

const lexicons = LOCALES.map((l) => LANGUAGES[l].lexicon);
let understanding: Understanding;
beforeAll(async () => {
  understanding = new Understanding(await loadModels(LOCALES));
});
const split = (text: string) => appendedCommand(text, lexicons, (clause) => understanding.commandOf(clause));

describe('a command joined to an answer', () => {
  it.each([
    ['end of period please, then switch to chinese', 'switchLanguage', 'end of period please'],
    ['yeah undo it and get me a human', 'human', 'yeah undo it'],
    ['到期取消 然后帮我切换成英文', 'switchLanguage', '到期取消'],
    ['撤销吧 然后转人工', 'human', '撤销吧'],
    ['nope, start over', 'startOver', 'nope'],
    [
      'my email is sophie.turner@example.com and can we switch to chinese',
      'switchLanguage',
      'my email is sophie.turner@example.com',
    ],
  ])('%s: %s beside "%s"', (text, command, rest) => {
    expect(split(text)).toEqual({ command, rest });
  });

  it.each([
    ['switch to chinese please', 'the command alone'],
    ['talk to a human', 'the command alone'],
    ['get me a human and switch to chinese', 'two commands'],
    ['cancel at period end', 'no command'],
    ['quit, I am done', 'a command that would say nothing changed'],
  ])('is not found in "%s" (%s)', (text) => {
    expect(split(text)).toBeNull();
  });
});
