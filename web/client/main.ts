import { SameOriginDirectLine, type Session } from './sameOriginDirectLine.js';
import { styleOptions } from './styleOptions.js';
import { createStore, mountWebChat, type WebChatStore } from './webChatBundle.js';

type Locale = 'zh-CN' | 'en-US' | 'zh-Hant' | 'zh-Hant-HK';
type Key =
  | 'web.title'
  | 'web.languageGroup'
  | 'web.languageName'
  | 'web.refused'
  | 'web.expired'
  | 'web.busy'
  | 'web.tooManyChats'
  | 'web.chatsFull'
  | 'web.unavailable'
  | 'web.newChat'
  | 'menu.cancel';

interface PageConfig {
  defaultLocale: Locale;
  strings: Record<Locale, Record<Key, string>>;
  memberToken?: string;
}

/** Kept per browser tab, so a reload continues the conversation; never in the URL. */
const STORAGE_KEY = 'membership-assistant.webchat';
const RENEW_CHECK_MS = 60_000;

const byId = (id: string) => document.getElementById(id)!;
const config = JSON.parse(byId('webchat-config').textContent ?? '{}') as PageConfig;
/** A browser's or a bot reply's language tag as one of the page's locales (src/i18n/languages.ts, toSupportedLocale). */
function toLocale(raw: string | null | undefined): Locale | null {
  const tag = raw?.toLowerCase().replace(/_/g, '-');
  if (!tag) return null;
  if (/^zh-(hant-)?(hk|mo)\b/.test(tag)) return 'zh-Hant-HK';
  if (/^zh-(hant|tw)\b/.test(tag)) return 'zh-Hant';
  return tag.startsWith('zh') ? 'zh-CN' : tag.startsWith('en') ? 'en-US' : null;
}

/** Web Chat's own strings exist for zh-TW and zh-HK, not for the script tag. */
const webChatLocale = (locale: Locale) => (locale === 'zh-Hant' ? 'zh-TW' : locale === 'zh-Hant-HK' ? 'zh-HK' : locale);

interface Saved {
  session: Session;
  locale: Locale;
  /** the end of the host token's signature the conversation was opened with (no use without the rest) */
  handOver?: string;
}

/** Tells a host token apart from another without keeping it: a token opens one conversation only. */
const handOverOf = (hostToken: string | undefined) => hostToken?.slice(-16);

function readSaved(): Saved | null {
  try {
    return JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? 'null') as Saved | null;
  } catch {
    return null;
  }
}

function save(saved: Saved): void {
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify(saved));
}

/** The host app's member token from the fragment (#memberToken=…), removed from the address bar at once, or from a POST. */
function takeHostHandOver(): { memberToken?: string; locale: Locale | null } {
  const params = new URLSearchParams(location.hash.slice(1));
  if (location.hash) history.replaceState(null, '', location.pathname + location.search);
  return { memberToken: params.get('memberToken') ?? config.memberToken, locale: toLocale(params.get('lang')) };
}

/**
 * A renewal notice's link (?cancel=…): its signed parameter, removed from the address bar at once
 * so a reload or a shared address does not start the cancellation again.
 */
function takeCancelLink(): string | undefined {
  const params = new URLSearchParams(location.search);
  const link = params.get('cancel') ?? undefined;
  if (link === undefined) return undefined;
  params.delete('cancel');
  const rest = params.toString();
  history.replaceState(null, '', location.pathname + (rest ? `?${rest}` : '') + location.hash);
  return link;
}

/** What the page says when a new chat is refused; a 429 names which limit it met. */
async function refusal(res: Response): Promise<Key> {
  if (res.status === 401 || res.status === 403) return 'web.refused';
  if (res.status !== 429) return 'web.unavailable';
  const { code } = (await res.json().catch(() => ({}))) as { code?: string };
  return code === 'chats-per-address' ? 'web.tooManyChats' : code === 'chats-overall' ? 'web.chatsFull' : 'web.busy';
}

class ChatPage {
  private locale: Locale;
  private directLine: SameOriginDirectLine | null = null;
  private readonly store: WebChatStore = createStore();
  private render: ((props: Record<string, unknown>) => void) | null = null;
  private notice: Key | null = null;

  constructor(locale: Locale) {
    this.locale = locale;
    for (const button of document.querySelectorAll<HTMLButtonElement>('[data-locale]')) {
      button.addEventListener('click', () => this.switchTo(button.dataset.locale as Locale));
    }
    byId('webchat-new-chat').addEventListener('click', () => {
      sessionStorage.removeItem(STORAGE_KEY);
      location.reload();
    });
    this.localize();
  }

  async open(hostToken: string | undefined): Promise<void> {
    const saved = readSaved();
    // A fresh hand-over from the host app starts a new conversation; otherwise a reload (one that
    // posts the same token again too) continues the open one.
    const fresh = hostToken !== undefined && handOverOf(hostToken) !== saved?.handOver;
    if (!fresh && saved && Date.now() < (saved.session.receivedAt ?? 0) + saved.session.expiresIn * 1000) {
      this.connect(saved.session, saved.handOver);
      return;
    }
    const res = await fetch('/webchat/api/conversations', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(hostToken ? { memberToken: hostToken } : {}),
      credentials: 'omit',
    }).catch(() => null);
    if (!res || !res.ok) {
      sessionStorage.removeItem(STORAGE_KEY);
      this.show(res ? await refusal(res) : 'web.unavailable', res?.status !== 401);
      return;
    }
    this.connect({ ...((await res.json()) as Session), receivedAt: Date.now() }, handOverOf(hostToken));
  }

  /**
   * Asks for the cancellation a renewal notice's link named, as if the member had chosen "Cancel
   * membership", with the link's parameter: the bot checks it and still verifies the member.
   */
  startCancellation(link: string): void {
    const userId = readSaved()?.session.userId;
    if (!this.directLine || !userId) return;
    this.directLine
      .postActivity({
        type: 'message',
        from: { id: userId, role: 'user' },
        locale: this.locale,
        text: config.strings[this.locale]['menu.cancel'],
        channelData: { cancelLink: link },
      })
      .subscribe({ next: () => undefined });
  }

  private connect(session: Session, handOver: string | undefined): void {
    save({ session, locale: this.locale, handOver });
    this.directLine = new SameOriginDirectLine({
      session,
      fetch: window.fetch.bind(window),
      locale: () => this.locale,
      onSession: (renewed) => save({ session: renewed, locale: this.locale, handOver }),
      onExpired: () => this.show('web.expired', true),
    });
    // The page's words follow the conversation's language, which the bot settles and states on
    // every reply: a member who writes Chinese on an English page gets Chinese labels too.
    this.directLine.activity$.subscribe({
      next: (activity) => {
        const { from, locale } = activity as { from?: { role?: string }; locale?: string };
        if (from?.role === 'bot') this.follow(toLocale(locale));
      },
    });
    setInterval(() => void this.directLine?.keepAlive(), RENEW_CHECK_MS);
    this.render = mountWebChat(byId('webchat'));
    this.rerender(session.userId);
  }

  private rerender(userID = readSaved()?.session.userId): void {
    this.render?.({
      directLine: this.directLine,
      store: this.store,
      userID,
      locale: webChatLocale(this.locale),
      styleOptions,
      sendTypingIndicator: false,
    });
  }

  /** The switch: Web Chat's labels change at once, and the bot is told in words it understands in any state. */
  private switchTo(locale: Locale): void {
    if (locale === this.locale) return;
    this.locale = locale;
    const saved = readSaved();
    if (saved) save({ ...saved, locale });
    this.localize();
    this.rerender();
    if (this.directLine)
      this.store.dispatch({
        type: 'WEB_CHAT/SEND_MESSAGE',
        payload: { method: 'keyboard', text: config.strings[locale]['web.languageName'] },
      });
  }

  /** The conversation's language, as its replies say it: the page's labels change, nothing is sent. */
  private follow(locale: Locale | null): void {
    if (!locale || locale === this.locale) return;
    this.locale = locale;
    const saved = readSaved();
    if (saved) save({ ...saved, locale });
    this.localize();
    this.rerender();
  }

  private localize(): void {
    const s = config.strings[this.locale];
    document.documentElement.lang = this.locale;
    document.title = s['web.title'];
    byId('webchat-title').textContent = s['web.title'];
    byId('webchat-lang').setAttribute('aria-label', s['web.languageGroup']);
    // Hong Kong's usage has no button of its own: it is the traditional script's.
    const script = this.locale === 'zh-Hant-HK' ? 'zh-Hant' : this.locale;
    for (const button of document.querySelectorAll<HTMLButtonElement>('[data-locale]')) {
      button.setAttribute('aria-pressed', String(button.dataset.locale === script));
    }
    byId('webchat-new-chat').textContent = s['web.newChat'];
    if (this.notice) byId('webchat-notice-text').textContent = s[this.notice];
  }

  private show(key: Key, offerNewChat: boolean): void {
    this.notice = key;
    byId('webchat-notice').hidden = false;
    byId('webchat-new-chat').hidden = !offerNewChat;
    this.localize();
  }
}

/**
 * Web Chat repeats each quick reply in its screen-reader live region as a button without an action;
 * activating that copy (a screen reader's or a script's click) does what the visible quick reply does.
 */
document.addEventListener('click', (event) => {
  const copy = (event.target as Element | null)?.closest?.('.webchat__live-region-activity__suggested-action');
  if (!copy) return;
  const label = copy.textContent?.trim();
  const quickReplies = document.querySelectorAll<HTMLButtonElement>('.webchat__suggested-actions__button');
  [...quickReplies].find((button) => button.textContent?.trim() === label)?.click();
});

const handOver = takeHostHandOver();
const cancelLink = takeCancelLink();
const page = new ChatPage(
  handOver.locale ?? readSaved()?.locale ?? toLocale(navigator.language) ?? config.defaultLocale,
);
void page.open(handOver.memberToken).then(() => {
  if (cancelLink) page.startCancellation(cancelLink);
});
