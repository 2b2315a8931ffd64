import type { ReplyLocale } from '../i18n/languages.js';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ESCAPES[ch]);
}

/**
 * The HTML part of a mail: the same words as its text part, one paragraph for each blank-line
 * separated block, the first (the code or the reference number) in bold. Inline styles only, no
 * images or links, so every mail client shows it the same and nothing is fetched when it is opened.
 */
export function mailHtml(text: string, locale: ReplyLocale, subject: string): string {
  const paragraphs = text.split(/\n{2,}/).map((block, i) => {
    const lines = block.split('\n').map(escapeHtml).join('<br>\n');
    return i === 0 ? `<p style="font-size:18px"><strong>${lines}</strong></p>` : `<p>${lines}</p>`;
  });
  return [
    '<!doctype html>',
    `<html lang="${locale}">`,
    `<head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>`,
    '<body style="font-family:sans-serif;line-height:1.5;max-width:40em">',
    ...paragraphs,
    '</body>',
    '</html>',
  ].join('\n');
}
