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
