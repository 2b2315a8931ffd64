import type { Intent, IntentRecognizer } from './intentRecognizer.js';

/** Normalises for matching: full-width to half-width, lower case, punctuation and spaces gone. */
export function squeeze(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/[\s\p{P}\p{S}]+/gu, '');
}

// Whole-message commands: matched only when the message is nothing but the command, so that
// "stop my subscription" is a cancel request, not "stop".
const EXACT: [Intent, string[]][] = [
  ['ambiguousCancel', ['取消', 'cancel', '取消吧', 'cancelit']],
  ['quit', ['退出', '算了', '不办了', '不用了', 'quit', 'stop', 'nevermind', 'exit', 'forgetit']],
  ['help', ['帮助', '帮忙', 'help', '怎么用', '']],
  ['startOver', ['重新开始', '从头开始', '重来', 'startover', 'restart']],
  ['greeting', ['你好', '您好', 'hi', 'hello', 'hey', '在吗']],
];

// Phrases found anywhere in the message, most specific first.
const CONTAINS: [Intent, string[]][] = [
  ['toChinese', ['说中文', '用中文', '讲中文', '中文', 'chineseplease', 'inchinese']],
  ['toEnglish', ['englishplease', 'inenglish', 'speakenglish', '说英文', '用英文', '英文', '英语']],
  ['human', ['人工', '客服', '真人', 'agent', 'human', 'aperson', 'representative', 'talktosomeone', 'realperson']],
  ['checkCancelled', ['取消了吗', '取消成功了吗', '退订了吗', '取消成功没', 'ismymembershipcancelled', 'ismysubscriptioncancelled', 'diditcancel', 'isitcancelled', 'wasitcancelled', 'cancellationstatus']],
  ['undo', ['撤销取消', '恢复会员', '恢复自动续费', '不想取消了', 'undo', 'resume', 'reactivate', 'restoremymembership']],
  ['cancel', ['取消会员', '取消订阅', '取消自动续费', '取消包月', '取消续费', '退订', '不想续费', '不续费', '关闭自动续费', '关掉自动续费', '停止续费', '注销会员', '退会员', '停止订阅',
    'cancel', 'unsubscribe', 'stopmysubscription', 'stopsubscription', 'endmymembership', 'endmysubscription', 'turnoffautorenew', 'autorenewoff', 'stoprenew', 'stopautorenew', 'stopmyplan']],
  ['status', ['会员状态', '查看会员', '查询会员', '查会员', '我的会员', '还有几天', '几天到期', '到期', '什么时候到期', '有效期', '会员信息',
    'checkmymembership', 'membershipstatus', 'mymembership', 'whendoes', 'expire', 'howmanydays', 'mysubscription', 'myplan', 'status']],
];

/** Keywords in both languages; good enough for the few things this bot does, and testable. */
export class KeywordIntentRecognizer implements IntentRecognizer {
  recognize(text: string): Intent {
    const s = squeeze(text);
    for (const [intent, words] of EXACT) if (words.includes(s) && (s !== '' || text.trim() === '?' || text.trim() === '？')) return intent;
    for (const [intent, words] of CONTAINS) if (words.some((w) => s.includes(w))) return intent;
    return 'none';
  }
}
