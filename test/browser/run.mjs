// `npm run test:browser`: the chat page in headless Chromium, as members use it.
//   1. 中文, keyboard only: ask to cancel, give the phone number, type the code from the development
//      outbox, choose "到期后取消" with Tab and Enter; the receipt shows and the store holds the cancellation.
//   2. English with the host app's member token in the fragment: verified without a code, two turns
//      to a receipt; the token is gone from the address bar.
//   3. A reload mid-journey: the conversation so far comes back, the code typed after it verifies,
//      the membership shows as a rendered Adaptive Card, and the language switch (keyboard) turns
//      the page, Web Chat's labels and the bot to English.
//   4. A forged member token: refused, the page says so and offers no chat.
//   5. An English page around a conversation held in Chinese turns its own words and Web Chat's to
//      the conversation's language (and back when the member writes English).
//   6. At 360, 390 and 1280 px, in zh-CN, en-US and zh-Hant: the status card with a pending
//      cancellation and the cancellation warning, measured as laid out: no word broken over two
//      lines (a card's labels, quick replies, messages), every quick reply whole and on the screen,
//      nothing wider than the screen, every control at least 44 × 44 px (harness.mjs, layoutProblems).
//      A zh-HK page: the status card in Hong Kong's words, at the same widths.
//   7. An in-app member cancels on the page: the receipt shows once, after the next message and after
//      a reload (its in-app notice is in the conversation too, marked as the receipt shown above).
// `node test/browser/run.mjs --only phone` runs the journeys whose name contains "phone".
// Every page must make no request off this machine and log no script error. Screenshots go to
// test/browser/screenshots/ (made afresh by each run, so not kept in git; the phone-sized zh and en
// ones go to docs/ with --docs).
import { mkdirSync } from 'node:fs';
import jwt from 'jsonwebtoken';
import { launchBrowser, layoutProblems, openTab, pageText, startServer, tabTo, waitForText } from './harness.mjs';

const SHOTS = 'test/browser/screenshots';
const DOCS = process.argv.includes('--docs');
const ONLY = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : '';
const MEMBER_TOKEN_SECRET = 'browser-test-member-token-secret-0123456789';
const MEMBER_TOKEN_ISSUER = 'https://host-app.example';
const MEMBER_TOKEN_AUDIENCE = 'membership-assistant';
mkdirSync(SHOTS, { recursive: true });

const SENDBOX = () => document.activeElement?.matches('[data-id="webchat-sendbox-input"]') ?? false;
const BUTTON = (text) =>
  document.activeElement?.tagName === 'BUTTON' && document.activeElement.innerText.includes(text);

async function say(page, text) {
  await tabTo(page, SENDBOX, 'the message box');
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

/** Picks a quick reply with the keyboard: from the message box, Shift+Tab back to the button, then Enter. */
async function choose(page, text) {
  await tabTo(page, SENDBOX, 'the message box');
  await tabTo(page, BUTTON, `the quick reply "${text}"`, { arg: text, backwards: true });
  await page.keyboard.press('Enter');
}

function codeFor(server, to, after) {
  const message = server
    .outbox()
    .slice(after)
    .find((m) => m.template === 'otp' && m.to === to);
  const code = /\b\d{6}\b/.exec(message?.text ?? '')?.[0];
  if (!code) throw new Error(`no one-time code for ${to} in the outbox`);
  return code;
}

async function waitForCode(server, to, after) {
  for (let i = 0; i < 50; i++) {
    try {
      return codeFor(server, to, after);
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return codeFor(server, to, after);
}

function assertClean(name, seen) {
  if (seen.outside.length) throw new Error(`${name}: the page requested ${seen.outside[0]} (off this machine)`);
  if (seen.errors.length) throw new Error(`${name}: script errors: ${seen.errors.join(' | ').slice(0, 500)}`);
}

const figures = {};

const journeys = {
  async 'zh-CN, keyboard only, code from the outbox, to the receipt'(server, browser) {
    const { page, seen } = await openTab(browser);
    const started = Date.now();
    await page.goto(`${server.base}/#lang=zh-CN`, { waitUntil: 'domcontentloaded' });
    await waitForText(page, /您好/, 'welcome');
    figures.firstReplyMs = Date.now() - started;
    await page.waitForNetworkIdle({ idleTime: 300 });
    figures.pageBytes = seen.bytes;
    figures.load = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0];
      const js = performance.getEntriesByType('resource').find((r) => /\/webchat\/chat\.[0-9a-f]+\.js$/.test(r.name));
      return {
        domContentLoadedMs: Math.round(nav.domContentLoadedEventEnd),
        scriptBytes: js.transferSize,
        scriptDecodedBytes: js.decodedBodySize,
      };
    });
    if ((await page.evaluate(() => document.documentElement.lang)) !== 'zh-CN')
      throw new Error('the page is not marked lang=zh-CN');

    await tabTo(page, SENDBOX, 'the message box');
    await page.keyboard.type('我想取消会员');
    const sent = Date.now();
    await page.keyboard.press('Enter');
    await waitForText(page, /手机号或邮箱/, 'asks who');
    figures.turnMs = Date.now() - sent;
    const before = server.outbox().length;
    await say(page, '138 1234 5678');
    await waitForText(page, /验证码已发送/, 'code sent');
    await say(page, await waitForCode(server, '+8613812345678', before));
    await waitForText(page, /验证成功/, 'verified');
    await choose(page, '到期后取消');
    await waitForText(page, /受理编号：CX-\d{8}-[0-9A-Z]{4}/, 'receipt');
    const status = server.db().memberships.find((m) => m.id === 'ms-2001')?.status;
    if (status !== 'pending_cancel') throw new Error(`the page showed a receipt but ms-2001 is ${status}`);
    await page.screenshot({ path: `${SHOTS}/zh-receipt.png` });
    if (DOCS) await page.screenshot({ path: 'docs/webchat-zh.png' });
    assertClean('zh', seen);
    await page.close();
  },

  async "en-US with the host app's member token: two turns to the receipt"(server, browser) {
    const { page, seen } = await openTab(browser);
    const token = jwt.sign(
      {
        sub: 'm-1006',
        uid: 'app-user-1006',
        iss: MEMBER_TOKEN_ISSUER,
        aud: MEMBER_TOKEN_AUDIENCE,
        exp: Math.floor(Date.now() / 1000) + 600,
      },
      MEMBER_TOKEN_SECRET,
      { algorithm: 'HS256' },
    );
    await page.goto(`${server.base}/chat#memberToken=${token}&lang=en-US`, { waitUntil: 'domcontentloaded' });
    await waitForText(page, /Hi! I can help/, 'welcome');
    if (page.url().includes(token) || page.url().includes('memberToken'))
      throw new Error(`the member token stayed in the address bar: ${page.url()}`);
    await say(page, 'I want to cancel my membership');
    await waitForText(page, /At period end/, 'the choices, without asking for a code');
    if (/code/i.test(await pageText(page))) throw new Error('a member signed in by the host app was asked for a code');
    await choose(page, 'Cancel at period end');
    await waitForText(page, /Reference number: CX-\d{8}-[0-9A-Z]{4}/, 'receipt');
    const status = server.db().memberships.find((m) => m.id === 'ms-2007')?.status;
    if (status !== 'pending_cancel') throw new Error(`the page showed a receipt but ms-2007 is ${status}`);
    await page.screenshot({ path: `${SHOTS}/en-receipt.png` });
    if (DOCS) await page.screenshot({ path: 'docs/webchat-en.png' });
    assertClean('en', seen);
    await page.close();
  },

  async 'a reload mid-journey shows the conversation so far and continues it'(server, browser) {
    const { page, seen } = await openTab(browser);
    await page.goto(`${server.base}/#lang=zh-CN`, { waitUntil: 'domcontentloaded' });
    await waitForText(page, /您好/, 'welcome');
    await say(page, '查询我的会员');
    await waitForText(page, /手机号或邮箱/, 'asks who');
    const before = server.outbox().length;
    await say(page, '13700002222');
    await waitForText(page, /验证码已发送/, 'code sent');
    const reloaded = Date.now();
    await page.reload({ waitUntil: 'domcontentloaded' });
    await waitForText(page, /验证码已发送/, 'the conversation so far after the reload');
    figures.reloadMs = Date.now() - reloaded;
    const text = await pageText(page);
    if (!text.includes('查询我的会员') || !text.includes('137****2222'))
      throw new Error("the reloaded page lost the member's own messages");
    if (text.includes('13700002222')) throw new Error('the phone number came back unmasked after the reload');
    await say(page, await waitForCode(server, '+8613700002222', before));
    await waitForText(page, /验证成功/, 'verified after the reload');
    // The membership comes as an Adaptive Card, rendered by Web Chat, with the facts in it.
    await page.waitForSelector('.ac-adaptiveCard', { timeout: 10000 }).catch(() => {
      throw new Error('no Adaptive Card rendered for the membership');
    });
    const card = await page.$eval('.ac-adaptiveCard', (el) => el.innerText);
    if (!/视频VIP月卡/.test(card)) throw new Error(`the membership card does not name the plan: ${card.slice(0, 200)}`);
    // The language switch, by keyboard: the page, Web Chat's labels and the bot all change to English.
    await tabTo(page, () => document.activeElement?.getAttribute('data-locale') === 'en-US', 'the English switch', {
      backwards: true,
    });
    await page.keyboard.press('Enter');
    // Whatever the bot says next (it may re-ask the question it was at), it says in English.
    const bubbles = await page.$$eval('.webchat__bubble:not(.webchat__bubble--from-user)', (els) => els.length);
    await page
      .waitForFunction(
        (before) => {
          const mine = [...document.querySelectorAll('.webchat__bubble:not(.webchat__bubble--from-user)')];
          const last = mine.at(-1)?.innerText ?? '';
          return mine.length > before && /[A-Za-z]{3}/.test(last) && !/\p{Script=Han}/u.test(last);
        },
        { timeout: 10000, polling: 100 },
        bubbles,
      )
      .catch(async () => {
        throw new Error(`the bot did not answer in English after the switch: ${(await pageText(page)).slice(-600)}`);
      });
    const labels = await page.evaluate(() => ({
      lang: document.documentElement.lang,
      box: document.querySelector('[data-id="webchat-sendbox-input"]')?.getAttribute('placeholder'),
      pressed: document.querySelector('[data-locale="en-US"]')?.getAttribute('aria-pressed'),
    }));
    if (labels.lang !== 'en-US' || labels.box !== 'Type your message' || labels.pressed !== 'true')
      throw new Error(`the switch left the page half in Chinese: ${JSON.stringify(labels)}`);
    await page.screenshot({ path: `${SHOTS}/reload.png` });
    assertClean('reload', seen);
    await page.close();
  },

  async 'a forged member token is refused and nothing runs'(server, browser) {
    const { page, seen } = await openTab(browser);
    const forged = jwt.sign(
      {
        sub: 'm-1001',
        uid: 'app-user-1001',
        iss: MEMBER_TOKEN_ISSUER,
        aud: MEMBER_TOKEN_AUDIENCE,
        exp: Math.floor(Date.now() / 1000) + 600,
      },
      'not-the-secret-not-the-secret-000000',
      { algorithm: 'HS256' },
    );
    const answers = [];
    page.on('response', (r) => {
      if (r.url().endsWith('/webchat/api/conversations')) answers.push(r.status());
    });
    await page.goto(`${server.base}/#memberToken=${forged}&lang=en-US`, { waitUntil: 'domcontentloaded' });
    await waitForText(page, /This chat link is not valid/, 'the refusal');
    if (answers.join() !== '401')
      throw new Error(`starting the conversation answered ${answers.join() || 'nothing'}, not 401`);
    if (await page.$('[data-id="webchat-sendbox-input"]')) throw new Error('a refused page still offers a message box');
    if (/Hi! I can help/.test(await pageText(page))) throw new Error('the bot greeted a refused page');
    await page.screenshot({ path: `${SHOTS}/refused.png` });
    seen.errors = seen.errors.filter((e) => !/status of 401/.test(e)); // the refusal itself, reported by Chromium
    assertClean('forged', seen);
    await page.close();
  },
};

journeys['an English page follows a conversation held in Chinese'] = async (server, browser) => {
  const { page, seen } = await openTab(browser);
  await page.goto(`${server.base}/#lang=en-US`, { waitUntil: 'domcontentloaded' });
  await waitForText(page, /Hi! I can help/, 'welcome');
  await say(page, '我想取消會員');
  await waitForText(page, /手機號碼或電子郵件/, 'the answer in traditional Chinese');
  const chrome = () =>
    page.evaluate(() => ({
      lang: document.documentElement.lang,
      box: document.querySelector('[data-id="webchat-sendbox-input"]')?.getAttribute('placeholder'),
      pressed: document.querySelector('[aria-pressed="true"]')?.getAttribute('data-locale'),
      title: document.title,
    }));
  await page.waitForFunction(() => document.documentElement.lang === 'zh-Hant', { timeout: 5000 }).catch(() => {});
  const labels = await chrome();
  if (labels.lang !== 'zh-Hant' || /Type your message/.test(labels.box ?? '') || labels.pressed !== 'zh-Hant')
    throw new Error(`the page kept its English chrome around a Chinese conversation: ${JSON.stringify(labels)}`);
  // Following the conversation is not a choice: a later English sentence still switches it.
  await say(page, 'Actually, I would like to check my membership status');
  await waitForText(page, /phone number or email/, 'the answer in English');
  await page.waitForFunction(() => document.documentElement.lang === 'en-US', { timeout: 5000 }).catch(() => {});
  if ((await chrome()).lang !== 'en-US') throw new Error('the page did not follow the conversation back to English');
  assertClean('follow', seen);
  await page.close();
};

/** What each language's journey on a phone says and is answered. */
const PHONE = {
  'zh-CN': {
    status: '查询我的会员',
    cancel: '取消会员',
    asksWho: /手机号或邮箱/,
    sent: /验证码已发送/,
    card: /取消受理编号/,
    warning: /请选择/,
  },
  'en-US': {
    status: 'Show my membership',
    cancel: 'I want to cancel',
    asksWho: /phone number or email/,
    sent: /6-digit code/,
    card: /Cancellation reference/,
    warning: /What would you like to do/,
  },
  'zh-Hant': {
    status: '查詢我的會員',
    cancel: '取消會員',
    asksWho: /手機號碼或電子郵件/,
    sent: /驗證碼已傳送/,
    card: /取消受理編號/,
    warning: /請選擇/,
  },
};

/**
 * Who each language's journey is: a member with a pending cancellation (its card holds every label,
 * the reference too) and one with an active membership (the warning). Each identifier once in the
 * whole run, none the other journeys use: a code can be asked for one a minute.
 */
const MEMBERS = {
  'zh-CN': { card: 'liu.yang@example.com', warning: '13600005555' },
  'en-US': { card: 'wang.fang@example.com', warning: 'james.miller@example.com' },
  'zh-Hant': { card: '15800003333', warning: 'zhao.lei@example.com' },
};

/** A new conversation on a 390 px phone, verified as the member with `identifier`. */
async function verifiedOnPhone(server, browser, locale, identifier, request) {
  const words = PHONE[locale];
  const { page, seen } = await openTab(browser, { width: 390, height: 844 });
  await page.goto(`${server.base}/#lang=${locale}`, { waitUntil: 'domcontentloaded' });
  await page.waitForSelector('[data-id="webchat-sendbox-input"]', { timeout: 15000 });
  await say(page, request);
  await waitForText(page, words.asksWho, 'asks who');
  const before = server.outbox().length;
  await say(page, identifier);
  await waitForText(page, words.sent, 'code sent');
  await say(page, await waitForCode(server, identifier.includes('@') ? identifier : `+86${identifier}`, before));
  return { page, seen };
}

/** The widths every layout is checked at: a small phone, a common phone, a laptop. */
const WIDTHS = [360, 390, 1280];

/**
 * The page as it stands, laid out at each of {@link WIDTHS} in turn (the same conversation, the
 * viewport changed): a full-page screenshot each (`${shot}-${width}.png`) and the layout measured.
 */
async function assertReadableAtEachWidth(page, what, shot) {
  const problems = [];
  for (const width of WIDTHS) {
    await page.setViewport({ width, height: 844, deviceScaleFactor: 2, isMobile: width < 600, hasTouch: false });
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    await page.screenshot({ path: `${SHOTS}/${shot}-${width}.png`, fullPage: true });
    const measured = await layoutProblems(page);
    figures.phone = [
      ...(figures.phone ?? []),
      `${shot}-${width}: ${measured.checked.labels} labels, ${measured.checked.quickReplies} quick replies, ${measured.checked.targets} controls, ${measured.checked.bubbles} messages`,
    ];
    problems.push(...measured.problems.map((p) => `at ${width} px: ${p}`));
  }
  if (problems.length) throw new Error(`${what}: ${problems.join('; ')}`);
}

for (const locale of Object.keys(PHONE)) {
  journeys[`${locale} at ${WIDTHS.join(', ')} px: the status card and the warning read whole`] = async (
    server,
    browser,
  ) => {
    const words = PHONE[locale];
    const status = await verifiedOnPhone(server, browser, locale, MEMBERS[locale].card, words.status);
    await waitForText(status.page, words.card, 'the status card');
    await status.page.waitForSelector('.ac-adaptiveCard', { timeout: 10000 });
    await assertReadableAtEachWidth(status.page, 'the status card', `${locale}-card`);
    assertClean(`${locale} card`, status.seen);
    await status.page.close();
    // The warning: the safest option's button ends with its date.
    const warning = await verifiedOnPhone(server, browser, locale, MEMBERS[locale].warning, words.cancel);
    await waitForText(warning.page, words.warning, 'the warning');
    await warning.page.waitForSelector('.webchat__suggested-actions__button', { timeout: 10000 });
    await assertReadableAtEachWidth(warning.page, 'the warning', `${locale}-warning`);
    assertClean(`${locale} warning`, warning.seen);
    await warning.page.close();
  };
}

// Hong Kong's usage on a zh-HK page: Li Na's two memberships on the card, at each width, in its words.
journeys[`zh-Hant-HK at ${WIDTHS.join(', ')} px: the status card in Hong Kong's words`] = async (server, browser) => {
  const words = { status: '查詢我的會員', asksWho: /手機號碼或電郵/, sent: /驗證碼已發送/ };
  const { page, seen } = await openTab(browser);
  await page.goto(`${server.base}/#lang=zh-HK`, { waitUntil: 'domcontentloaded' });
  await page.waitForSelector('[data-id="webchat-sendbox-input"]', { timeout: 15000 });
  await say(page, words.status);
  await waitForText(page, words.asksWho, 'asks who, 電郵 for e-mail');
  const before = server.outbox().length;
  await say(page, '13900001111');
  await waitForText(page, words.sent, 'code sent');
  await say(page, await waitForCode(server, '+8613900001111', before));
  await page.waitForSelector('.ac-adaptiveCard', { timeout: 10000 });
  await waitForText(page, /自動續費/, 'the status card');
  const pressed = await page.$eval('[aria-pressed="true"]', (b) => b.dataset.locale);
  if (pressed !== 'zh-Hant') throw new Error(`the language switch shows ${pressed}, not the traditional script`);
  await assertReadableAtEachWidth(page, 'the status card', 'zh-Hant-HK-card');
  assertClean('zh-Hant-HK card', seen);
  await page.close();
};

// After the phone journeys: James Miller's membership is their warning's.
journeys['an in-app member cancels on the page and sees the receipt once, after a reply and a reload'] = async (
  server,
  browser,
) => {
  const { page, seen } = await openTab(browser);
  const token = jwt.sign(
    {
      sub: 'm-1007',
      uid: 'app-user-1007',
      iss: MEMBER_TOKEN_ISSUER,
      aud: MEMBER_TOKEN_AUDIENCE,
      exp: Math.floor(Date.now() / 1000) + 600,
    },
    MEMBER_TOKEN_SECRET,
    { algorithm: 'HS256' },
  );
  await page.goto(`${server.base}/chat#memberToken=${token}&lang=en-US`, { waitUntil: 'domcontentloaded' });
  await waitForText(page, /Hi! I can help/, 'welcome');
  await say(page, 'I want to cancel my membership');
  await waitForText(page, /At period end/, 'the choices');
  await choose(page, 'Cancel at period end');
  await waitForText(page, /Reference number: CX-\d{8}-[0-9A-Z]{4}/, 'receipt');
  const reference = /CX-\d{8}-[0-9A-Z]{4}/.exec(await pageText(page))[0];
  const notice = server.db().outbox.find((m) => m.memberId === 'm-1007' && m.template.startsWith('cancellation-'));
  if (notice?.channel !== 'in-app') throw new Error(`the receipt's notice went by ${notice?.channel ?? 'nothing'}`);
  // Whatever the page has not seen comes with the next answer; a reload shows everything kept.
  await say(page, 'thanks');
  await waitForText(page, /thanks/, 'the next message');
  await page.reload({ waitUntil: 'domcontentloaded' });
  await waitForText(page, /Reference number: CX-/, 'the receipt after a reload');
  await page.screenshot({ path: `${SHOTS}/en-in-app-receipt.png`, fullPage: true });
  // What is on screen: the transcript's messages (Web Chat's screen-reader copies are not shown).
  const shown = await page.$$eval('.webchat__bubble__content', (bubbles) => bubbles.map((b) => b.innerText));
  const naming = shown.filter((text) => text.includes(reference));
  if (naming.length !== 1)
    throw new Error(`the reference ${reference} shows in ${naming.length} messages: ${naming.join(' | ')}`);
  const kept = server.db().outbox.find((m) => m.id === notice.id);
  if (kept.status !== 'sent') throw new Error(`the in-app notice is ${kept.status}, not sent`);
  assertClean('in-app receipt', seen);
  await page.close();
};

const server = await startServer({ MEMBER_TOKEN_SECRET, MEMBER_TOKEN_ISSUER, MEMBER_TOKEN_AUDIENCE });
const browser = await launchBrowser();
let failed = 0;
try {
  for (const [name, journey] of Object.entries(journeys)) {
    if (!name.includes(ONLY)) continue;
    const t0 = Date.now();
    try {
      await journey(server, browser);
      console.log(`ok   ${name} (${Date.now() - t0} ms)`);
    } catch (err) {
      failed++;
      console.log(`FAIL ${name}\n     ${err.message}`);
    }
  }
} finally {
  await browser.close();
  await server.stop();
}
if (figures.load) {
  console.log(
    `page weight ${(figures.pageBytes / 1024).toFixed(0)} KiB transferred (script ${(figures.load.scriptBytes / 1024).toFixed(0)} KiB, ${(figures.load.scriptDecodedBytes / 1024).toFixed(0)} KiB unpacked); ` +
      `DOMContentLoaded ${figures.load.domContentLoadedMs} ms; first reply ${figures.firstReplyMs} ms after navigation; a turn ${figures.turnMs} ms from Enter to the reply; ` +
      `a reload shows the conversation in ${figures.reloadMs} ms`,
  );
}
if (figures.phone) console.log(`measured: ${figures.phone.join('; ')}`);
if (failed) {
  console.log(`${failed} browser journey(s) failed; screenshots in ${SHOTS}/`);
  process.exit(1);
}
