export interface Series {
  name: string;
  values: number[];
}

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd'];
const esc = (s: string) => s.replace(/[<>&]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;' })[c]!);

/** A small self-contained SVG line chart; `logX` spaces the x values by their logarithm. */
export function lineChart(title: string, xs: number[], series: Series[], logX = false): string {
  const w = 640;
  const h = 360;
  const m = { left: 60, right: 160, top: 40, bottom: 50 };
  const fx = (x: number) => (logX ? Math.log10(x) : x);
  const [x0, x1] = [Math.min(...xs.map(fx)), Math.max(...xs.map(fx))];
  const yMax = Math.max(1, ...series.flatMap((s) => s.values)) * 1.1;
  const px = (x: number) => m.left + ((fx(x) - x0) / (x1 - x0 || 1)) * (w - m.left - m.right);
  const py = (y: number) => h - m.bottom - (y / yMax) * (h - m.top - m.bottom);
  const ticks = Array.from({ length: 5 }, (_, i) => (yMax / 4) * i);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" font-family="sans-serif" font-size="12">`,
    `<rect width="${w}" height="${h}" fill="white"/>`,
    `<text x="${w / 2 - m.right / 2}" y="22" text-anchor="middle" font-size="14">${esc(title)}</text>`,
    `<line x1="${m.left}" y1="${h - m.bottom}" x2="${w - m.right}" y2="${h - m.bottom}" stroke="#333"/>`,
    `<line x1="${m.left}" y1="${m.top}" x2="${m.left}" y2="${h - m.bottom}" stroke="#333"/>`,
    ...ticks.map(
      (t) =>
        `<text x="${m.left - 6}" y="${py(t) + 4}" text-anchor="end">${Math.round(t)}</text><line x1="${m.left}" y1="${py(t)}" x2="${w - m.right}" y2="${py(t)}" stroke="#eee"/>`,
    ),
    ...xs.map(
      (x) => `<text x="${px(x)}" y="${h - m.bottom + 18}" text-anchor="middle">${x.toLocaleString('en-US')}</text>`,
    ),
  ];
  series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length];
    const points = s.values.map((v, k) => `${px(xs[k])},${py(v)}`).join(' ');
    parts.push(`<polyline fill="none" stroke="${color}" stroke-width="2" points="${points}"/>`);
    s.values.forEach((v, k) => parts.push(`<circle cx="${px(xs[k])}" cy="${py(v)}" r="3" fill="${color}"/>`));
    parts.push(
      `<rect x="${w - m.right + 16}" y="${m.top + i * 20}" width="12" height="12" fill="${color}"/><text x="${w - m.right + 34}" y="${m.top + i * 20 + 10}">${esc(s.name)}</text>`,
    );
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
