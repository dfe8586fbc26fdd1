/**
 * How wide a label is, without a browser: per-character advance widths (in em) of DejaVu Sans,
 * the widest of the common sans-serif fonts a `system-ui` stack falls back to (Linux; Arial,
 * Segoe UI and San Francisco are narrower), so an estimate that fits fits everywhere. Used to
 * lay out the timeline's labels and, in the tests, to check that every label fits its box (the
 * headless-Chromium check, `npm run test:visual`, measures the real widths).
 */

const NARROW = 'il.,:;\'|!ij';
const WIDTHS: Record<string, number> = {
  ' ': 0.318, '.': 0.318, ',': 0.318, ':': 0.337, ';': 0.337, "'": 0.275, '|': 0.337, '!': 0.4, '(': 0.39, ')': 0.39, '[': 0.39, ']': 0.39,
  '-': 0.361, '_': 0.5, '/': 0.337, '\\': 0.337, '#': 0.838, '@': 1, '%': 0.95, '&': 0.78, '+': 0.838, '=': 0.838, '<': 0.838, '>': 0.838,
  '·': 0.318, '…': 1, '–': 0.5, '—': 1, '"': 0.46, '*': 0.5, '?': 0.531,
  a: 0.613, b: 0.635, c: 0.55, d: 0.635, e: 0.615, f: 0.352, g: 0.635, h: 0.634, i: 0.278, j: 0.278, k: 0.579, l: 0.278, m: 0.974,
  n: 0.634, o: 0.612, p: 0.635, q: 0.635, r: 0.411, s: 0.521, t: 0.392, u: 0.634, v: 0.592, w: 0.818, x: 0.592, y: 0.592, z: 0.525,
  A: 0.684, B: 0.686, C: 0.698, D: 0.77, E: 0.632, F: 0.575, G: 0.775, H: 0.752, I: 0.295, J: 0.295, K: 0.656, L: 0.557, M: 0.863,
  N: 0.748, O: 0.787, P: 0.603, Q: 0.787, R: 0.695, S: 0.635, T: 0.611, U: 0.732, V: 0.684, W: 0.989, X: 0.685, Y: 0.611, Z: 0.685,
};
const DIGIT = 0.636;
const OTHER = 0.7;
const MONO = 0.602;

/** The width in px of `text` at `sizePx` (bold: about 10% wider; mono: a monospace font). */
export function textWidth(text: string, sizePx: number, style: { readonly bold?: boolean; readonly mono?: boolean } = {}): number {
  if (style.mono === true) return [...text].length * MONO * sizePx;
  let em = 0;
  for (const c of text) em += WIDTHS[c] ?? (c >= '0' && c <= '9' ? DIGIT : NARROW.includes(c) ? 0.28 : OTHER);
  return em * sizePx * (style.bold === true ? 1.1 : 1);
}

/** `text` cut (with an ellipsis) to fit `maxPx`, or whole if it fits. */
export function fitWidth(text: string, maxPx: number, sizePx: number, style: { readonly bold?: boolean; readonly mono?: boolean } = {}): string {
  if (textWidth(text, sizePx, style) <= maxPx) return text;
  const chars = [...text];
  let lo = 0;
  let hi = chars.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (textWidth(chars.slice(0, mid).join('') + '…', sizePx, style) <= maxPx) lo = mid;
    else hi = mid - 1;
  }
  return chars.slice(0, lo).join('') + '…';
}

/** `text` in at most `lines` lines of at most `maxPx` each, broken at spaces; the last cut if need be. */
export function wrapWidth(text: string, maxPx: number, sizePx: number, lines: number, style: { readonly bold?: boolean } = {}): string[] {
  const out: string[] = [];
  let rest = text;
  while (out.length < lines - 1 && textWidth(rest, sizePx, style) > maxPx) {
    const words = rest.split(' ');
    let line = words[0]!;
    let used = 1;
    while (used < words.length && textWidth(`${line} ${words[used]}`, sizePx, style) <= maxPx) line += ` ${words[used++]}`;
    if (textWidth(line, sizePx, style) > maxPx) break; // one word too long: cut below
    out.push(line);
    rest = words.slice(used).join(' ');
  }
  out.push(fitWidth(rest, maxPx, sizePx, style));
  return out;
}
