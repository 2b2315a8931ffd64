import { DialogContext } from 'botbuilder-dialogs';
import { t } from '../../src/i18n/messages.js';
import { conversation } from '../support/conversation.js';
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

describe('an answer with a command joined to it', () => {
  it('cancels at period end and switches to Chinese: the reply comes in Chinese', async () => {
    const { c } = await reach('confirmPrompt', 'en-US');
    const replies = await c.say('cancel at period end, then switch to chinese');
    const cancellation = c.app.store.data.cancellations.at(-1);
    expect(cancellation).toMatchObject({ option: 'period_end' });
    expect(replies[0]?.text).toBe(t('zh-CN', 'language.switched'));
    expect(c.text(replies)).toContain(t('zh-CN', 'reason.ask'));
  });

  it('undoes and records the hand-off asked for after it', async () => {
    const { c } = await reach('undoPrompt', 'en-US');
    const replies = await c.say('yeah undo it and get me a human');
    expect(c.app.store.data.memberships.find((m) => m.status === 'pending_cancel')).toBeUndefined();
    expect(c.app.store.data.handoffs).toHaveLength(1);
    expect(replies.at(-1)?.text).toBe(t('en-US', 'handoff.recorded'));
  });

  it('takes a named reason beside a command, but not any words', async () => {
    const skip = await reach('reasonPrompt', 'en-US');
    const skipped = await skip.c.say('skip, and switch to chinese');
    expect(skip.c.text(skipped)).toContain(t('zh-CN', 'reason.skipped'));
    expect(skip.c.app.store.data.cancellations.at(-1)?.reason).toBeUndefined();
    const complaint = await reach('reasonPrompt', 'en-US');
    await complaint.c.say('talk to a human, i want to complain');
    expect(complaint.c.app.store.data.cancellations.at(-1)?.reason).toBeUndefined();
    expect(complaint.c.app.store.data.handoffs).toHaveLength(1);
  });
});

describe('a request with a language asked beside it', () => {
  it('switches first, then starts the request in that language', async () => {
    const c = await conversation();
    const replies = await c.say('i want to cancel my membership, and can we do this in chinese');
    expect(replies.map((r) => r.text)).toEqual([t('zh-CN', 'language.switched'), t('zh-CN', 'verify.askIdentifier')]);
  });
});
