/**
 * Looks at a rendered timeline page as a person would, without a browser: every label of the
 * lanes figure fits its box (estimated with app/report/text-metrics.ts, the widths of the widest
 * common sans-serif font), and the legend lists exactly the series the figure draws. Returns the
 * problems found, in words. `npm run test:visual` does the same with real widths in Chromium.
 */
import { FONT, LABEL_GAP, LABEL_X, SVG_WIDTH, X0 } from '../../app/report/svg-lanes.js';
import { textWidth } from '../../app/report/text-metrics.js';
import { classesIn, LEGEND } from '../../app/report/svg-marks.js';

const unescape = (s: string): string => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');

interface Label {
  readonly cls: string;
  readonly x0: number;
  readonly x1: number;
  readonly y: number;
  readonly text: string;
}

function labelsOf(svg: string): Label[] {
  const out: Label[] = [];
  for (const m of svg.matchAll(/<text class="([^"]+)" x="([-\d.]+)" y="([-\d.]+)"(?: text-anchor="(\w+)")?>([^<]*)<\/text>/g)) {
    const cls = m[1]!;
    const font = Object.entries(FONT).find(([c]) => cls.split(' ').includes(c))?.[1] ?? { size: 11 };
    const text = unescape(m[5]!);
    const w = textWidth(text, font.size, font);
    const x = Number(m[2]);
    const anchor = m[4] ?? 'start';
    const x0 = anchor === 'start' ? x : anchor === 'end' ? x - w : x - w / 2;
    out.push({ cls, x0, x1: x0 + w, y: Number(m[3]), text });
  }
  return out;
}

/** The lanes `<svg>` of a page. */
export function lanesSvgOf(html: string): string {
  const start = html.indexOf('<svg class="lanes"');
  if (start < 0) throw new Error('no lanes figure in the page');
  return html.slice(start, html.indexOf('</svg>', html.lastIndexOf('</pattern></defs>')) + 6);
}

/** Every layout problem of the page's lanes figure and legend (empty: a person would find none). */
export function layoutProblems(html: string): string[] {
  const problems: string[] = [];
  const svg = lanesSvgOf(html);
  // Labels inside the figure; those of the label column inside the column.
  for (const l of labelsOf(svg)) {
    if (l.x0 < 0 || l.x1 > SVG_WIDTH) problems.push(`label "${l.text}" (${l.cls}) runs out of the figure: x ${l.x0.toFixed(0)}-${l.x1.toFixed(0)} of 0-${SVG_WIDTH}`);
    if (l.x0 === LABEL_X && l.x1 > X0 - LABEL_GAP / 2) problems.push(`label "${l.text}" (${l.cls}) overflows the label column: ends at x ${l.x1.toFixed(0)}, the plot starts at ${X0}`);
  }
  // Each lane's labels inside the lane's band.
  const laneStarts = [...svg.matchAll(/<g class="lane" id="lane-(\d+)"[^>]*><rect class="bg-(?:even|odd)" x="0" y="([\d.]+)" width="\d+" height="([\d.]+)"\/>/g)];
  laneStarts.forEach((m, i) => {
    const top = Number(m[2]);
    const bottom = top + Number(m[3]);
    const axis = svg.indexOf('<path class="grid"', m.index);
    const body = svg.slice(m.index, laneStarts[i + 1]?.index ?? (axis < 0 ? svg.length : axis));
    for (const l of labelsOf(body)) {
      const font = Object.entries(FONT).find(([c]) => l.cls.split(' ').includes(c))?.[1] ?? { size: 11 };
      if (l.y - font.size * 0.8 < top || l.y + font.size * 0.25 > bottom) problems.push(`lane of attempt ${m[1]}: label "${l.text}" at y ${l.y} overflows the lane (${top}-${bottom})`);
    }
  });
  // The legend: exactly the series drawn.
  const legend = html.slice(html.indexOf('<ul class="legend">'), html.indexOf('</ul>', html.indexOf('<ul class="legend">')));
  const drawn = classesIn(svg);
  const listed = [...legend.matchAll(/<li>(<svg[^]*?<\/svg>)([^<]*)<\/li>/g)].map((m) => ({ label: unescape(m[2]!), swatch: classesIn(m[1]!) }));
  for (const entry of listed) {
    const series = LEGEND.find((l) => l.label === entry.label);
    if (series === undefined) problems.push(`legend lists "${entry.label}", which is no known series`);
    else if (!drawn.has(series.cls)) problems.push(`legend lists "${entry.label}" but the figure draws no ${series.cls}`);
  }
  for (const series of LEGEND) {
    if (drawn.has(series.cls) && !listed.some((e) => e.label === series.label)) problems.push(`the figure draws ${series.cls} but the legend does not list "${series.label}"`);
  }
  return problems;
}
