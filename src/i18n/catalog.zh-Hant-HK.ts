import type { MessageKey } from './catalog.en-US.js';
import { zhCN } from './catalog.zh-CN.js';
import { toHongKong } from './traditional.js';

/** Where the Hong Kong catalog says something other than the simplified one converted. */
const OWN: Partial<Record<MessageKey, string>> = {
  'web.languageName': '繁體中文（香港）',
  'language.switched': '好的，接下來用繁體中文（香港用語）為您服務。',
};

let catalog: Record<MessageKey, string> | undefined;

/**
 * Traditional Chinese as Hong Kong writes it: the simplified catalog in Hong Kong's characters and
 * usage (traditional.ts, toHongKong), so a key added there is never missing here. Made at first use.
 */
export function zhHantHK(): Record<MessageKey, string> {
  catalog ??= Object.fromEntries(
    (Object.keys(zhCN) as MessageKey[]).map((key) => [key, OWN[key] ?? toHongKong(zhCN[key])]),
  ) as Record<MessageKey, string>;
  return catalog;
}
