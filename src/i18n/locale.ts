import type { Locale } from '../config.js';

/** Maps whatever a channel sends (`en`, `zh-cn`, `zh-Hans-CN`, `fr-FR`) to a supported locale. */
export function toSupportedLocale(raw: string | undefined): Locale | null {
  if (!raw) return null;
  const lower = raw.toLowerCase();
  if (lower.startsWith('zh')) return 'zh-CN';
  if (lower.startsWith('en')) return 'en-US';
  return null;
}
