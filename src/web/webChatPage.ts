import { REPLY_LOCALES, VARIANTS, type ReplyLocale } from '../i18n/languages.js';
import { t, type MessageKey } from '../i18n/messages.js';

/** The catalog keys the page itself shows (Web Chat brings its own labels for each locale). */
const PAGE_KEYS = [
  'web.title',
  'web.languageGroup',
  'web.languageName',
  'web.refused',
  'web.expired',
  'web.busy',
  'web.tooManyChats',
  'web.chatsFull',
  'web.unavailable',
  'web.newChat',
  // What the page says for the member when a renewal notice's link opened it.
  'menu.cancel',
] as const satisfies readonly MessageKey[];

export interface PageConfig {
  defaultLocale: ReplyLocale;
  strings: Record<ReplyLocale, Record<(typeof PAGE_KEYS)[number], string>>;
  /** A host app's member token that arrived in a POST body: handed to the page, never put in a URL. */
  memberToken?: string;
}

/** JSON that is safe inside a <script> element: nothing in it can close the element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/**
 * The chat page: a header with the language switch, the place Web Chat renders into, and the
 * page's settings and words as JSON (read by web/client/main.tsx; no inline script, so the
 * Content-Security-Policy can forbid them). `files` are the script's and stylesheet's paths.
 */
export function renderChatPage(
  defaultLocale: ReplyLocale,
  files: { script: string; style: string },
  memberToken?: string,
): string {
  const strings = Object.fromEntries(
    REPLY_LOCALES.map((l) => [l, Object.fromEntries(PAGE_KEYS.map((k) => [k, t(l, k)]))]),
  ) as PageConfig['strings'];
  const config: PageConfig = { defaultLocale, strings, ...(memberToken ? { memberToken } : {}) };
  const s = strings[defaultLocale];
  // One button per script: Hong Kong's usage is reached by its tags (a zh-HK page or channel).
  const buttons = REPLY_LOCALES.filter((l) => !(l in VARIANTS && VARIANTS[l as keyof typeof VARIANTS].regionOf))
    .map(
      (l) =>
        `<button type="button" class="lang-button" data-locale="${l}" lang="${l}" aria-pressed="${l === defaultLocale}">${escapeHtml(strings[l]['web.languageName'])}</button>`,
    )
    .join('');
  return `<!doctype html>
<html lang="${defaultLocale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>${escapeHtml(s['web.title'])}</title>
<link rel="stylesheet" href="${escapeHtml(files.style)}">
<script type="application/json" id="webchat-config">${scriptJson(config)}</script>
<script defer src="${escapeHtml(files.script)}"></script>
</head>
<body>
<div class="shell">
<header class="bar">
<h1 id="webchat-title">${escapeHtml(s['web.title'])}</h1>
<div class="lang" role="group" id="webchat-lang" aria-label="${escapeHtml(s['web.languageGroup'])}">${buttons}</div>
</header>
<div id="webchat-notice" class="notice" role="alert" hidden><p id="webchat-notice-text"></p><button type="button" id="webchat-new-chat" hidden></button></div>
<main id="webchat" class="chat"></main>
</div>
</body>
</html>
`;
}
