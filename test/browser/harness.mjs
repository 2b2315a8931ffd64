// What the browser journeys need around the page: the built server started as `npm start` runs it
// (own port, own data files in a scratch directory), the development outbox, the store as written,
// and a headless Debian Chromium that may not reach anything but this machine.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

async function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
    probe.on('error', reject);
  });
}

export async function startServer(extraEnv = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'webchat-browser-'));
  const port = await freePort();
  const env = {
    ...process.env,
    PORT: String(port),
    DB_FILE: join(dir, 'db.json'),
    STATE_FILE: join(dir, 'state.json'),
    SEED_FILE: 'data/seed.json',
    NOTIFY_TRANSPORT: 'file',
    NOTIFY_OUTBOX_FILE: join(dir, 'outbox.jsonl'),
    LOG_LEVEL: 'warn',
    ...extraEnv,
  };
  const child = spawn(process.execPath, ['--disable-warning=DEP0111', 'dist/server.mjs'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 150; i++) {
    if (child.exitCode !== null) throw new Error(`the server exited: ${log}`);
    const ok = await fetch(`${base}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    base,
    env,
    log: () => log,
    outbox: () =>
      existsSync(env.NOTIFY_OUTBOX_FILE)
        ? readFileSync(env.NOTIFY_OUTBOX_FILE, 'utf8')
            .split('\n')
            .filter(Boolean)
            .map((l) => JSON.parse(l))
        : [],
    db: () => readStore(env.DB_FILE),
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', resolve);
        child.kill('SIGTERM');
      }),
  };
}

/** The member data as written: the snapshot, then each journal transaction of whole records. */
function readStore(file) {
  const db = JSON.parse(readFileSync(file, 'utf8'));
  for (const journal of [`${file}.journal.old`, `${file}.journal`]) {
    if (!existsSync(journal)) continue;
    for (const line of readFileSync(journal, 'utf8').split('\n')) {
      let tx;
      try {
        tx = JSON.parse(line);
      } catch {
        continue;
      }
      if (!Array.isArray(tx)) continue;
      for (const change of tx) {
        const list = (db[change.c] ||= []);
        const key = change.c === 'cancellations' ? 'reference' : 'id';
        const id = change.d ? change.id : change.v?.[key];
        const at = list.findIndex((r) => r[key] === id);
        if (change.d) {
          if (at >= 0) list.splice(at, 1);
        } else if (at >= 0) list[at] = change.v;
        else list.push(change.v);
      }
    }
  }
  return db;
}

export async function launchBrowser() {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: apt-get install -y chromium fonts-wqy-microhei`);
  return puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--user-data-dir=${mkdtempSync(join(tmpdir(), 'webchat-chromium-'))}`,
    ],
  });
}

/**
 * A phone-sized tab that records what a member would notice: requests leaving this machine, script
 * errors, and the bytes the page downloaded.
 */
export async function openTab(browser, { width = 390, height = 844 } = {}) {
  const page = await browser.newPage();
  await page.setViewport({ width, height, deviceScaleFactor: 2, isMobile: true, hasTouch: false });
  const seen = { outside: [], errors: [], bytes: 0 };
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (!['127.0.0.1', 'localhost'].includes(url.hostname) && !['data:', 'blob:'].includes(url.protocol))
      seen.outside.push(r.url());
  });
  page.on('pageerror', (e) => seen.errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') seen.errors.push(m.text());
  });
  const cdp = await page.createCDPSession();
  await cdp.send('Network.enable');
  cdp.on('Network.loadingFinished', (e) => (seen.bytes += e.encodedDataLength));
  return { page, seen };
}

export async function pageText(page) {
  return page.evaluate(() => document.body.innerText);
}

/** Waits until the page shows text matching `pattern`; fails naming what was expected. */
export async function waitForText(page, pattern, what, timeout = 15000) {
  try {
    await page.waitForFunction(
      (source, flags) => new RegExp(source, flags).test(document.body.innerText),
      { timeout, polling: 100 },
      pattern.source,
      pattern.flags,
    );
  } catch {
    throw new Error(
      `${what}: the page never showed ${pattern} (it shows: ${(await pageText(page)).slice(-400).replace(/\s+/g, ' ')})`,
    );
  }
}

/** Keyboard only: Tab (or Shift+Tab) through the page until the focused element is the one wanted. */
export async function tabTo(page, predicate, what, { arg, backwards = false, max = 60 } = {}) {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate(predicate, arg)) return;
    if (backwards) {
      await page.keyboard.down('Shift');
      await page.keyboard.press('Tab');
      await page.keyboard.up('Shift');
    } else {
      await page.keyboard.press('Tab');
    }
  }
  throw new Error(`${what}: not reachable with the Tab key`);
}

/**
 * What makes a page hard to read or use on a phone, measured in the laid-out page: a word broken
 * over two lines in a card or a quick reply (a card's Chinese label counts as one word: "当前周/期"),
 * a quick reply cut short or reaching past the screen, and a control smaller than 44 × 44 px.
 */
export async function layoutProblems(page) {
  return page.evaluate(() => {
    const problems = [];
    const visible = (el) => {
      const r = el.getBoundingClientRect();
      return r.width > 1 && r.height > 1 && getComputedStyle(el).visibility !== 'hidden';
    };
    const lines = (node, start, end) => {
      const range = document.createRange();
      range.setStart(node, start);
      range.setEnd(node, end);
      return new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top))).size;
    };
    const checkWords = (root, pattern, what) => {
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (const m of node.data.matchAll(pattern)) {
          if (lines(node, m.index, m.index + m[0].length) > 1)
            problems.push(`${what}: "${m[0]}" is broken over two lines`);
        }
      }
    };
    const LATIN_WORD = /[^\s\p{Script=Han}\p{P}]+(?:[-'’][^\s\p{Script=Han}\p{P}]+)*/gu;
    for (const title of document.querySelectorAll('.ac-fact-title')) checkWords(title, /\S+/g, 'a card label');
    for (const card of document.querySelectorAll('.ac-adaptiveCard')) checkWords(card, LATIN_WORD, 'a card');
    const quickReplies = [...document.querySelectorAll('.webchat__suggested-actions__button')].filter(visible);
    for (const button of quickReplies) {
      checkWords(button, LATIN_WORD, 'a quick reply');
      const r = button.getBoundingClientRect();
      const text = button.querySelector('.webchat__suggested-actions__button-text') ?? button;
      const t = text.getBoundingClientRect();
      if (r.left < 0 || r.right > innerWidth + 0.5)
        problems.push(
          `the quick reply "${button.innerText}" reaches past the screen (${Math.round(r.left)}–${Math.round(r.right)} of ${innerWidth} px)`,
        );
      if (text.scrollWidth > text.clientWidth + 1 || t.right > r.right + 0.5 || t.bottom > r.bottom + 0.5)
        problems.push(`the quick reply "${button.innerText}" is cut short`);
    }
    for (const bubble of document.querySelectorAll('.webchat__bubble__content'))
      checkWords(bubble, LATIN_WORD, 'a message');
    // Nothing wider than the screen: the page would scroll sideways, or cut what is past its edge.
    if (document.documentElement.scrollWidth > innerWidth + 0.5)
      problems.push(`the page is ${document.documentElement.scrollWidth} px wide on a ${innerWidth} px screen`);
    for (const el of document.querySelectorAll(
      '.webchat__bubble, .ac-adaptiveCard, .webchat__suggested-actions, header, .lang-button',
    )) {
      const r = el.getBoundingClientRect();
      if (visible(el) && (r.left < -0.5 || r.right > innerWidth + 0.5))
        problems.push(
          `"${(el.innerText || el.className).slice(0, 40)}" reaches past the screen (${Math.round(r.left)}–${Math.round(r.right)} of ${innerWidth} px)`,
        );
    }
    const targets = [
      ...quickReplies,
      ...[...document.querySelectorAll('.lang-button, .notice button, .webchat__send-box button')].filter(visible),
    ];
    for (const target of targets) {
      const r = target.getBoundingClientRect();
      if (r.width < 44 || r.height < 44)
        problems.push(
          `"${target.innerText || target.getAttribute('aria-label') || target.className}" is ${Math.round(r.width)} × ${Math.round(r.height)} px, under 44 × 44`,
        );
    }
    return {
      problems,
      checked: {
        quickReplies: quickReplies.length,
        targets: targets.length,
        labels: document.querySelectorAll('.ac-fact-title').length,
        bubbles: document.querySelectorAll('.webchat__bubble__content').length,
      },
    };
  });
}
