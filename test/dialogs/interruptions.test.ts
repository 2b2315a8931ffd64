import { DialogContext } from 'botbuilder-dialogs';
import { t } from '../../src/i18n/messages.js';
import { reach, WORDS } from '../support/prompts.js';

describe('the interruption check at a prompt', () => {
  afterEach(() => jest.restoreAllMocks());

  it('walks the dialog stack once a turn: each inner dialog context is built once to look, not again', async () => {
    const { c, shown } = await reach('codePrompt', 'en-US');
    // Each `child` builds a DialogContext and its state manager. Three levels (root -> task ->
    // verification -> code prompt): three for the main dialog's look, three for botbuilder's own
    // walk to the prompt (continueDialog's activityReceived event).
    const child = jest.spyOn(DialogContext.prototype, 'child', 'get');
    const replies = await c.say('12');
    expect(replies.map((r) => r.text)).toEqual([expect.stringContaining(t('en-US', 'input.unclear')), shown.text]);
    expect(child).toHaveBeenCalledTimes(6);
    child.mockClear();
    const help = await c.say(WORDS['en-US'].help);
    expect(help.map((r) => r.text)).toEqual([t('en-US', 'help.codePrompt'), shown.text]);
    expect(child).toHaveBeenCalledTimes(3);
  });
});
