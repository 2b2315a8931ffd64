import type { MessageKey } from './catalog.en-US.js';
import { zhCN } from './catalog.zh-CN.js';
import { toTraditional } from './traditional.js';

/** Where the traditional catalog says something other than the simplified one converted. */
const OWN: Partial<Record<MessageKey, string>> = {
  // The page's language switch must tell the two scripts apart.
  'web.languageName': '繁體中文',
  'language.switched': '好的，接下來用繁體中文為您服務。',
};

let catalog: Record<MessageKey, string> | undefined;

/**
 * Traditional Chinese (Taiwan and Hong Kong): the simplified catalog in traditional script and
 * usage (traditional.ts), so a key added there is never missing here. Made once, at first use.
 */
export function zhHant(): Record<MessageKey, string> {
  catalog ??= Object.fromEntries(
    (Object.keys(zhCN) as MessageKey[]).map((key) => [key, OWN[key] ?? toTraditional(zhCN[key])]),
  ) as Record<MessageKey, string>;
  return catalog;
}
