/**
 * Draws a {@link LaneModel} as one inline SVG: a virtual-time axis, a server row, a workers row
 * and one lane per attempt. Every mark carries a `<title>` (native hover tooltip, no script
 * needed) and links to its line in the text timeline.
 */
import { formatTime } from '../../sim/trace.js';
import { clip, escapeHtml } from './escape.js';
import type { EffectBins, Lane, LaneModel, Mark, MarkKind, Row, Span } from './lane-model.js';
import { symbol } from './svg-marks.js';
import { fitWidth, textWidth, wrapWidth } from './text-metrics.js';
import { shortTime, ticks, timeScale, type TimeScale } from './time-axis.js';

export const SVG_WIDTH = 1200;
/** The plot area: [X0, X1]; the label column is [LABEL_X, X0 - LABEL_GAP]. */
export const X0 = 216;
export const X1 = SVG_WIDTH - 16;
export const LABEL_X = 10;
export const LABEL_GAP = 8;
/** Font sizes (px) of the label classes, as in the page's CSS. */
export const FONT: Readonly<Record<string, { readonly size: number; readonly bold?: boolean; readonly mono?: boolean }>> = {
  'lbl-lane': { size: 12, bold: true },
  'lbl-sub': { size: 11 },
  'lbl-how': { size: 11 },
  'lbl-tick': { size: 11 },
  'lbl-s': { size: 10.5 },
  'lbl-key': { size: 10.5, mono: true },
  'lbl-outcome': { size: 12, bold: true },
};
const COLUMN_W = X0 - LABEL_GAP - LABEL_X;
const AXIS_H = 30;
const SERVER_H = 44;
const WORKERS_H = 36;
const LANE_H = 62;
const LABEL_ROW_H = 13;
const MAX_LABEL_ROWS = 4;
/** Marks of one kind in one row beyond which they are drawn as a density strip. */
const MAX_MARKS_PER_KIND = 250;

/** Maps a trace event index to the id of its line in the text timeline, if it has one. */
export type AnchorOf = (event: number) => string | undefined;

const n = (v: number): string => String(Math.round(v * 10) / 10);

/** A hoverable group: its title, its body, a link to the text timeline; `x`: where its mark stands (the zoom moves it from there). */
function link(anchor: string | undefined, title: string, body: string, x?: number): string {
  const t = `<title>${escapeHtml(title)}</title>`;
  const at = x === undefined ? '' : ` data-x="${n(x)}"`;
  return anchor === undefined ? `<g${at}>${t}${body}</g>` : `<a href="#${anchor}"${at}>${t}${body}</a>`;
}

function text(x: number, y: number, content: string, cls: string, anchor: 'start' | 'middle' | 'end' = 'start'): string {
  return `<text class="${cls}" x="${n(x)}" y="${n(y)}"${anchor === 'start' ? '' : ` text-anchor="${anchor}"`}>${escapeHtml(content)}</text>`;
}

/** A label for the span [xa, xb]: inside if it fits, else right of it, else left of it. */
function spanLabel(xa: number, xb: number, y: number, label: string, cls: string): string {
  const w = textWidth(label, FONT['lbl-s']!.size);
  if (xb - xa >= w + 8) return text((xa + xb) / 2, y, label, cls, 'middle');
  if (xb + 6 + w <= X1) return text(xb + 6, y, label, cls);
  if (xa - 6 - w >= X0) return text(xa - 6, y, label, cls, 'end');
  return '';
}

/** How the attempt ended, with the time, in at most two lines of the label column. */
function fitHow(how: string, at: string): string[] {
  return wrapWidth(`${how} at ${at}`, COLUMN_W, FONT['lbl-how']!.size, 2);
}

function thousands(v: number): string {
  return String(v).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

const MARK_NAMES: Readonly<Record<MarkKind, string>> = {
  scheduled: 'activity scheduled', dispatched: 'tasks queued', timer: 'server timers fired', cancelRequested: 'cancel requests', closed: 'closed',
  processStarted: 'process starts', crash: 'crashes', shutdown: 'shutdowns',
  hbCall: 'heartbeat() calls', hbHeld: 'calls held by the throttle', hbSent: 'heartbeat RPCs sent', hbLost: 'heartbeats lost', hbRejected: 'heartbeats rejected', stored: 'details stored',
  timeout: 'timeouts', cancel: 'cancels delivered', ended: 'ends', reported: 'reports', worldFault: 'world call faults', rpcFault: 'RPC faults', retry: 'retries',
};

/** Too many marks of one kind to draw one by one: over the cap, or piling up on the same pixels. */
function crowded(list: readonly Mark[], scale: TimeScale): boolean {
  if (list.length > MAX_MARKS_PER_KIND) return true;
  const buckets = new Set<number>();
  for (const m of list) buckets.add(Math.floor(scale.x(m.t) / 5));
  return list.length > 8 && list.length > buckets.size * 1.25;
}

/** Marks of a row, individually or (for a kind with very many marks) as a density strip. */
function drawMarks(marks: readonly Mark[], yOf: (kind: MarkKind) => number, scale: TimeScale, bins: number, anchorOf: AnchorOf): string {
  const byKind = new Map<MarkKind, Mark[]>();
  for (const m of marks) {
    const list = byKind.get(m.kind);
    if (list === undefined) byKind.set(m.kind, [m]);
    else list.push(m);
  }
  let out = '';
  for (const [kind, list] of byKind) {
    const y = yOf(kind);
    if (!crowded(list, scale)) {
      for (const m of list) out += link(anchorOf(m.event), m.title, symbol(kind, scale.x(m.t), y, m.tone), scale.x(m.t));
      continue;
    }
    const counts = new Map<number, { count: number; first: Mark; last: Mark }>();
    for (const m of list) {
      const b = Math.min(bins - 1, Math.floor((m.t / scale.endMs) * bins));
      const c = counts.get(b);
      if (c === undefined) counts.set(b, { count: 1, first: m, last: m });
      else {
        c.count++;
        c.last = m;
      }
    }
    const w = Math.max(1, (X1 - X0) / bins);
    for (const [b, c] of counts) {
      const title = `${thousands(c.count)} ${MARK_NAMES[kind]} from ${formatTime(c.first.t)} to ${formatTime(c.last.t)}\nfirst: ${clip(c.first.title, 120)}`;
      const [dy, h] = kind === 'hbSent' ? [-4.5, 4.5] : kind === 'hbHeld' ? [0, 4.5] : [-4, 8];
      out += link(anchorOf(c.first.event), title, `<rect class="dense k-${kind}" x="${n(scale.x((b * scale.endMs) / bins))}" y="${n(y + dy)}" width="${n(w)}" height="${h}"/>`);
    }
  }
  return out;
}

function drawSpan(span: Span, scale: TimeScale, y: number, h: number, anchorOf: AnchorOf, withLabel: boolean): string {
  const xa = scale.x(span.from);
  const xb = Math.max(scale.x(span.to), xa + 1);
  const title = span.title;
  const anchor = span.event === undefined ? undefined : anchorOf(span.event);
  let body: string;
  switch (span.kind) {
    case 'backoff':
      body = `<path class="sp-backoff" d="M${n(xa)} ${n(y)}v${h}M${n(xa)} ${n(y + h / 2)}H${n(xb)}M${n(xb)} ${n(y)}v${h}"/>`;
      break;
    case 'queued':
      body = `<path class="sp-queued" d="M${n(xa)} ${n(y + h / 2)}H${n(xb)}"/>`;
      break;
    default:
      body = `<rect class="sp-${span.kind === 'serverWait' ? 'wait' : span.kind === 'noWorker' ? 'noworker' : span.kind}" x="${n(xa)}" y="${n(y)}" width="${n(xb - xa)}" height="${h}"/>`;
  }
  let label = '';
  if (withLabel && span.label !== undefined) {
    if (span.kind === 'queued') {
      const w = textWidth(span.label, FONT['lbl-s']!.size);
      if (xa - 12 - w >= X0) label = text(xa - 12, y + h / 2 + 4, span.label, 'lbl-s', 'end');
    } else label = spanLabel(xa, xb, span.kind === 'backoff' ? y + h / 2 + 4 : y + h / 2 + 4, span.label, `lbl-s lbl-${span.kind}`);
  }
  return link(anchor, title, body) + label;
}

function drawEffects(fx: EffectBins, lane: Lane, scale: TimeScale, bins: number, max: number, y: number, anchorOf: AnchorOf): string {
  if (fx.count === 0) return '';
  let out = '';
  const w = Math.max(1, (X1 - X0) / bins);
  for (let b = 0; b < bins; b++) {
    const total = fx.total[b]!;
    if (total === 0) continue;
    const re = fx.rewrites[b]!;
    const from = Math.round((b * scale.endMs) / bins);
    const to = Math.round(((b + 1) * scale.endMs) / bins);
    const x = n(scale.x(from));
    const first = fx.firstKey[b]!;
    const last = fx.lastKey[b]!;
    const keys = first === last ? `key ${clip(first, 60)}` : `keys ${clip(first, 60)} … ${clip(last, 60)}`;
    const title = `${formatTime(from)} – ${formatTime(to)}: ${thousands(total)} sink effect${total === 1 ? '' : 's'} by attempt ${lane.attempt}${re > 0 ? `, ${thousands(re)} redoing a key` : ''}\n${keys}`;
    let body = '';
    if (total > re) body += `<rect class="fx" x="${x}" y="${n(y)}" width="${n(w)}" height="7" fill-opacity="${opacity(total - re, max)}"/>`;
    if (re > 0) body += `<rect class="fx-re" x="${x}" y="${n(y + 7)}" width="${n(w)}" height="7" fill-opacity="${opacity(re, max)}"/>`;
    out += link(anchorOf(fx.firstEvent[b]!), title, body);
  }
  return out;
}

function opacity(count: number, max: number): string {
  return (0.18 + 0.82 * Math.sqrt(count / Math.max(1, max))).toFixed(2);
}

/** Highlighted effects of a lane, with their keys as labels stacked in up to MAX_LABEL_ROWS rows. */
function layoutHighlights(lane: Lane, scale: TimeScale): { rows: number; place: (number | undefined)[] } {
  const ends: number[] = [];
  const place: (number | undefined)[] = [];
  for (const h of lane.highlighted) {
    const x = scale.x(h.t);
    const w = textWidth(clip(h.key, 32), FONT['lbl-key']!.size, { mono: true }) + 10;
    let row = ends.findIndex((end) => end <= x);
    if (row === -1 && ends.length < MAX_LABEL_ROWS) row = ends.length;
    if (row === -1 || x + w > X1 + 10) place.push(undefined);
    else {
      ends[row] = x + w;
      place.push(row);
    }
  }
  return { rows: ends.length, place };
}

function drawLane(lane: Lane, model: LaneModel, scale: TimeScale, y: number, index: number, fxMax: number, anchorOf: AnchorOf): { svg: string; height: number } {
  const { rows, place } = layoutHighlights(lane, scale);
  const height = LANE_H + rows * LABEL_ROW_H;
  const callY = y + 8;
  const hbY = y + 18;
  const barY = y + 24;
  const fxY = y + 40;
  let out = `<g class="lane" id="lane-${lane.attempt}" data-from="${lane.startedAt}" data-to="${lane.endedAt}">`;
  out += `<rect class="${index % 2 === 0 ? 'bg-even' : 'bg-odd'}" x="0" y="${y}" width="${SVG_WIDTH}" height="${height}"/>`;
  for (const p of model.partitions) {
    if (p.host !== lane.host) continue;
    out += link(undefined, p.title, `<rect class="sp-partition-lane" x="${n(scale.x(p.from))}" y="${y}" width="${n(Math.max(1, scale.x(p.to) - scale.x(p.from)))}" height="${height}"/>`);
  }
  // The label column; the full text in its tooltip and in the lane's (hover anywhere on the lane).
  const endText = lane.open ? 'still running at the end' : `${lane.how} at ${formatTime(lane.endedAt)}`;
  const laneTitle = `attempt ${lane.attempt} on ${lane.worker}\nstarted at ${formatTime(lane.startedAt)}\n${endText}\n${thousands(lane.effects.count)} sink effects`;
  out += `<rect class="lane-hit" x="0" y="${y}" width="${SVG_WIDTH}" height="${height}"><title>${escapeHtml(laneTitle)}</title></rect>`;
  const howLines = lane.open ? ['running'] : fitHow(lane.how, shortTime(lane.endedAt));
  const sub = fitWidth(`${lane.worker} · ${thousands(lane.effects.count)} effect${lane.effects.count === 1 ? '' : 's'}`, COLUMN_W, FONT['lbl-sub']!.size);
  out += link(undefined, laneTitle,
    text(LABEL_X, y + 15, `attempt ${lane.attempt}`, 'lbl-lane') + text(LABEL_X, y + 29, sub, 'lbl-sub') + howLines.map((l, i) => text(LABEL_X, y + 43 + i * 13, l, `lbl-how t-${lane.tone}`)).join(''));
  // The bar (the attempt as the server sees it), then what happened around it.
  const xa = scale.x(lane.startedAt);
  const xb = Math.max(scale.x(lane.endedAt), xa + 2);
  out += link(undefined, `attempt ${lane.attempt} on ${lane.worker}: ${formatTime(lane.startedAt)} – ${lane.open ? '(running)' : formatTime(lane.endedAt)}, ${lane.how}`,
    `<rect class="bar t-${lane.tone}" x="${n(xa)}" y="${barY}" width="${n(xb - xa)}" height="12" rx="2"/>`);
  for (const span of lane.spans) out += drawSpan(span, scale, barY, 12, anchorOf, true);
  out += drawEffects(lane.effects, lane, scale, model.bins, fxMax, fxY, anchorOf);
  out += drawMarks(lane.marks, (kind) => (kind === 'hbCall' ? callY : kind === 'hbHeld' || kind === 'hbSent' || kind === 'hbLost' || kind === 'hbRejected' ? hbY : barY + 6), scale, model.bins, anchorOf);
  // Highlighted effects: all the lines first, then the labels (with a halo) over them.
  let labels = '';
  lane.highlighted.forEach((h, i) => {
    const x = scale.x(h.t);
    const row = place[i];
    const bottom = row === undefined ? fxY + 16 : fxY + 16 + (row + 1) * LABEL_ROW_H - 4;
    out += link(anchorOf(h.event), h.title, `<path class="hl-fx" d="M${n(x)} ${n(fxY - 2)}V${n(bottom)}"/><circle class="hl-dot" cx="${n(x)}" cy="${n(fxY + 7)}" r="2.5"/>`, x);
    if (row !== undefined) labels += link(anchorOf(h.event), h.title, text(x + 3, fxY + 16 + (row + 1) * LABEL_ROW_H - 3, clip(h.key, 32), 'lbl-key'), x);
  });
  out += labels;
  out += '</g>';
  return { svg: out, height };
}

function drawRowFrame(label: string, sub: string, y: number, h: number): string {
  return `<rect class="bg-row" x="0" y="${y}" width="${SVG_WIDTH}" height="${h}"/>` + text(10, y + 15, label, 'lbl-lane') + text(10, y + 28, sub, 'lbl-sub');
}

function drawServer(row: Row, scale: TimeScale, y: number, bins: number, anchorOf: AnchorOf): string {
  let out = drawRowFrame('server', 'timers, retries, outcome', y, SERVER_H);
  for (const span of row.spans) out += drawSpan(span, scale, y + 26, 10, anchorOf, true);
  out += drawMarks(row.marks.filter((m) => m.kind !== 'closed'), () => y + 14, scale, bins, anchorOf);
  for (const m of row.marks) {
    if (m.kind !== 'closed') continue;
    const x = scale.x(m.t);
    const label = m.label ?? '';
    const right = x + 13 + textWidth(label, FONT['lbl-outcome']!.size, { bold: true }) <= SVG_WIDTH - 2;
    out += link(anchorOf(m.event), m.title, symbol('closed', x, y + 14, m.tone) + text(right ? x + 13 : x - 4, y + 17, label, `lbl-outcome t-${m.tone ?? 'neutral'}`, right ? 'start' : 'end'), x);
  }
  return out;
}

function drawWorkers(row: Row, scale: TimeScale, y: number, bins: number, anchorOf: AnchorOf): string {
  let out = drawRowFrame('workers', 'processes, partitions', y, WORKERS_H);
  for (const span of row.spans) out += drawSpan(span, scale, y + 2, WORKERS_H - 4, anchorOf, true);
  out += drawMarks(row.marks, () => y + 18, scale, bins, anchorOf);
  return out;
}

function drawAxis(scale: TimeScale, top: number, bottom: number): string {
  let out = '';
  for (const t of ticks(scale.endMs, 12)) {
    const x = n(scale.x(t));
    const edge = scale.x(t) > X1 - 24;
    out += `<path class="grid" d="M${x} ${top - 4}V${bottom}"/>` + text(edge ? X1 : scale.x(t), top - 10, shortTime(t), 'lbl-tick', edge ? 'end' : 'middle');
  }
  out += `<path class="axis" d="M${X0} ${top - 4}H${X1}"/>`;
  out += text(10, top - 10, 'virtual time', 'lbl-sub');
  return out;
}

function drawHighlightTimes(times: readonly number[], scale: TimeScale, top: number, bottom: number): string {
  let out = '';
  for (const t of times) {
    const x = n(scale.x(t));
    out += link(undefined, `highlighted time ${formatTime(t)}`, `<path class="hl-time" d="M${x} ${top - 4}V${bottom}"/><path class="hl-time-head" d="M${n(scale.x(t) - 5)} ${top - 12}h10l-5 8z"/>`, scale.x(t));
  }
  return out;
}

/** The whole lanes figure as an `<svg>` element. */
export function renderLanesSvg(model: LaneModel, anchorOf: AnchorOf): string {
  const scale = timeScale(model.endMs, X0, X1);
  let fxMax = 1;
  for (const lane of model.lanes) {
    for (let b = 0; b < model.bins; b++) fxMax = Math.max(fxMax, lane.effects.total[b]! - lane.effects.rewrites[b]!, lane.effects.rewrites[b]!);
  }
  let y = AXIS_H;
  let body = drawServer(model.server, scale, y, model.bins, anchorOf);
  y += SERVER_H;
  body += drawWorkers(model.workers, scale, y, model.bins, anchorOf);
  y += WORKERS_H;
  model.lanes.forEach((lane, i) => {
    const drawn = drawLane(lane, model, scale, y, i, fxMax, anchorOf);
    body += drawn.svg;
    y += drawn.height;
  });
  if (model.lanes.length === 0) {
    body += text(X0, y + 20, 'no attempt started', 'lbl-sub');
    y += 30;
  }
  const height = y + 6;
  const axis = drawAxis(scale, AXIS_H, height - 6);
  const marks = drawHighlightTimes(model.highlightTimes, scale, AXIS_H, height - 6);
  // data-*: what the page's zoom script needs to map x back to virtual time (page-assets.ts).
  return `<svg class="lanes" viewBox="0 0 ${SVG_WIDTH} ${height}" width="${SVG_WIDTH}" height="${height}" role="img" aria-label="timeline of the attempts in virtual time" data-x0="${X0}" data-x1="${X1}" data-end="${scale.endMs}">` +
    `<defs><clipPath id="plot-clip" clipPathUnits="userSpaceOnUse"><rect x="${X0 - 8}" y="0" width="${X1 - X0 + 16}" height="${height}"/></clipPath></defs>` +
    `<defs><pattern id="hatch-red" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="3" height="6" class="hatch-red"/></pattern>` +
    `<pattern id="hatch-amber" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="3" height="6" class="hatch-amber"/></pattern>` +
    `<pattern id="hatch-grey" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="3" height="6" class="hatch-grey"/></pattern></defs>` +
    body + axis + marks + '</svg>';
}
