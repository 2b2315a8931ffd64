import type { MessageKey } from './catalog.en-US.js';

/** Chinese catalog; the type makes a missing or extra key a compile error. */
export const zhCN: Record<MessageKey, string> = {
  'welcome': '您好！我可以帮您查询会员状态，或取消会员。请问您想做什么？',
  'menu.status': '查询我的会员',
  'menu.cancel': '取消会员',
  'menu.help': '帮助',
  'error.turn': '抱歉，系统出了点问题。除非我已给出受理编号，否则没有做任何更改。我们重新开始吧。',
};
