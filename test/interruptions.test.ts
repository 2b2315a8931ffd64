import type { Locale } from '../src/i18n/languages.js';
import { writtenLanguage } from '../src/nlu/language.js';

const languageOf = (text: string) => writtenLanguage(text)?.locale ?? null;
import { t, type MessageKey } from '../src/i18n/messages.js';
import { conversation } from './support/conversation.js';
import { PROMPTS, reach, WORDS, type Conv, type PromptId } from './support/prompts.js';

const cases = (['zh-CN', 'en-US'] as Locale[]).flatMap((l) => PROMPTS.map((p) => [l, p] as const));

describe.each(cases)('%s, at %s', (l, prompt) => {
  const w = WORDS[l];
  const changes = (c: Conv) => ({
    cancellations: c.app.store.data.cancellations.length,
    statuses: c.app.store.data.memberships.map((m) => m.status),
  });

  // The optional reason question is the one exception (#17.7): any other request ends it unanswered
  // and is handled as if nothing were in progress, so it never holds the member.
  const menu = (locale: Locale) => [t(locale, 'menu.status'), t(locale, 'menu.cancel'), t(locale, 'menu.help')];

  it('help explains this step and asks the same question again', async () => {
    const { c, shown } = await reach(prompt, l);
    const replies = await c.say(w.help);
    if (prompt === 'reasonPrompt') {
      expect(replies.map((r) => r.text)).toEqual([t(l, 'help.general'), t(l, 'menu.prompt')]);
      expect(replies[1].choices).toEqual(menu(l));
      return;
    }
    expect(replies.map((r) => r.text)).toEqual([t(l, `help.${prompt}` as MessageKey), shown.text]);
    expect(replies[1].choices).toEqual(shown.choices);
  });

  it('quit ends the flow and changes nothing more', async () => {
    const { c } = await reach(prompt, l);
    const before = changes(c);
    const replies = await c.say(w.quit);
    // Where the prompt's own answer already means "change nothing", it may answer for quit.
    const nothingChanged: Partial<Record<PromptId, MessageKey>> = {
      confirmPrompt: 'cancel.kept',
      undoPrompt: 'status.left',
    };
    const allowed = [
      t(l, prompt === 'reasonPrompt' ? 'quit.afterCancel' : 'quit.done'),
      ...(nothingChanged[prompt] ? [t(l, nothingChanged[prompt])] : []),
    ];
    expect(allowed).toContain(replies[0].text);
    expect(changes(c)).toEqual(before);
    expect((await c.say(w.help))[0].text).toBe(t(l, 'help.general'));
  });

  it('start over returns to the welcome and changes nothing more', async () => {
    const { c } = await reach(prompt, l);
    const before = changes(c);
    expect((await c.say(w.startOver))[0]).toMatchObject({
      text: t(l, 'welcome'),
      choices: [t(l, 'menu.status'), t(l, 'menu.cancel'), t(l, 'menu.help')],
    });
    expect(changes(c)).toEqual(before);
  });

  it('asking for a person records a handoff and keeps the flow where it was', async () => {
    const { c, shown } = await reach(prompt, l);
    const replies = await c.say(w.human);
    expect(replies.map((r) => r.text)).toEqual(
      prompt === 'reasonPrompt' ? [t(l, 'handoff.recorded')] : [t(l, 'handoff.recorded'), shown.text],
    );
    expect(c.app.store.data.handoffs).toHaveLength(1);
  });

  it('switching language re-asks the same prompt in the other language', async () => {
    const { c, shown } = await reach(prompt, l);
    const other: Locale = l === 'zh-CN' ? 'en-US' : 'zh-CN';
    const replies = await c.say(w.other);
    expect(replies[0].text).toBe(t(other, 'language.switched'));
    expect(languageOf(replies[1].text)).toBe(other);
    if (prompt === 'reasonPrompt') expect(replies[1].choices).toEqual(menu(other));
    else expect(replies[1].choices).toHaveLength(shown.choices.length);
  });

  it('a bare "cancel" asks which is meant, and "stop this" quits', async () => {
    const { c } = await reach(prompt, l);
    if (prompt === 'reasonPrompt') {
      // Only the optional question is left: a bare "cancel" stops it.
      expect((await c.say(w.ambiguous))[0].text).toBe(t(l, 'quit.afterCancel'));
      return;
    }
    expect((await c.say(w.ambiguous))[0]).toMatchObject({
      text: t(l, 'ambiguous.question'),
      choices: [t(l, 'ambiguous.stop'), t(l, 'ambiguous.cancelMembership')],
    });
    expect((await c.say(t(l, 'ambiguous.stop')))[0].text).toBe(t(l, 'quit.done'));
  });
});

describe('outside a flow and over time', () => {
  it('treats a bare "cancel" at the menu as the cancel intent', async () => {
    const c = await conversation();
    expect((await c.say('cancel'))[0].text).toBe(t('en-US', 'verify.askIdentifier'));
  });

  it('a verified conversation needs a new code after 15 idle minutes, not before', async () => {
    const c = await conversation();
    await c.say('check my membership');
    await c.say('13812345678');
    await c.say(c.lastCode());
    c.clock.advance(14 * 60_000);
    expect((await c.say('check my membership'))[0].text).toBe(t('en-US', 'status.intro'));
    c.clock.advance(15 * 60_000);
    expect((await c.say('check my membership'))[0].text).toBe(t('en-US', 'verify.askIdentifier'));
  });

  it('answers "is my membership cancelled" with the status and the cancellation record', async () => {
    const c = await conversation();
    await c.say('我的会员取消了吗');
    await c.say('158 0000 3333');
    const replies = await c.say(c.lastCode());
    expect(replies[1].cards[0]).toContain('状态：已取消');
    expect(replies[1].cards[0]).toContain('取消受理编号：CX-20261020-9P2D');
  });
});
