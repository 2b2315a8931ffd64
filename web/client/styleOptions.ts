/**
 * Web Chat's look on this page. Colours are chosen for WCAG AA contrast (the ratios are in
 * docs/ARCHITECTURE.md, "Chat page"): text at least 4.5:1, controls' borders at least 3:1.
 */
const FONT =
  "'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'WenQuanYi Micro Hei', 'Noto Sans CJK SC', 'Source Han Sans SC', system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";

export const ACCENT = '#0b5cad';

export const styleOptions = {
  accent: ACCENT,
  primaryFont: FONT,
  backgroundColor: '#ffffff',
  subtle: '#595f69',
  timestampColor: '#595f69',
  bubbleBackground: '#f1f3f6',
  bubbleBorderRadius: 12,
  bubbleTextColor: '#1b1f24',
  bubbleFromUserBackground: ACCENT,
  bubbleFromUserBorderRadius: 12,
  bubbleFromUserTextColor: '#ffffff',
  bubbleMaxWidth: 600,
  botAvatarInitials: '',
  hideUploadButton: true,
  sendBoxTextWrap: true,
  sendBoxButtonColor: ACCENT,
  suggestedActionLayout: 'flow',
  suggestedActionBackgroundColor: '#ffffff',
  suggestedActionBorderColor: ACCENT,
  suggestedActionTextColor: ACCENT,
  suggestedActionBorderRadius: 18,
  suggestedActionHeight: 40,
  transitionDuration: '0s',
} as const;
