/**
 * The symbols of the timeline (one small SVG shape per kind of mark), shared by the lanes and
 * the legend. Colours live in the page's CSS (`.k-*` classes), so that a shape is a few bytes.
 */
import type { MarkKind, Tone } from './lane-model.js';

const n = (v: number): string => String(Math.round(v * 10) / 10);

/** The SVG markup of the symbol of `kind` centred on (x, y). No title: the caller wraps it. */
export function symbol(kind: MarkKind, x: number, y: number, tone: Tone = 'neutral'): string {
  const X = n(x);
  switch (kind) {
    case 'hbCall': return `<path class="k-call" d="M${X} ${n(y - 5)}v10"/>`;
    case 'hbHeld': return `<circle class="k-held" cx="${X}" cy="${n(y)}" r="2.6"/>`;
    case 'hbSent': return `<path class="k-sent" d="M${n(x - 4.5)} ${n(y + 4)}L${X} ${n(y - 4.5)}L${n(x + 4.5)} ${n(y + 4)}Z"/>`;
    case 'hbRejected': return `<path class="k-rejected" d="M${n(x - 4.5)} ${n(y - 4)}L${X} ${n(y + 4.5)}L${n(x + 4.5)} ${n(y - 4)}Z"/>`;
    case 'hbLost': return `<path class="k-lost" d="M${n(x - 3.5)} ${n(y - 3.5)}l7 7m0-7l-7 7"/>`;
    case 'stored': return `<path class="k-stored" d="M${X} ${n(y - 5.5)}L${n(x + 5.5)} ${n(y)}L${X} ${n(y + 5.5)}L${n(x - 5.5)} ${n(y)}Z"/>`;
    case 'crash': return `<path class="k-crash" d="M${n(x - 6)} ${n(y - 6)}l12 12m0-12l-12 12"/>`;
    case 'timeout': return `<g class="k-timeout"><circle cx="${X}" cy="${n(y)}" r="5.5"/><path d="M${X} ${n(y - 3.5)}V${n(y)}h3"/></g>`;
    case 'cancel':
    case 'cancelRequested': return `<g class="k-cancel"><circle cx="${X}" cy="${n(y)}" r="5"/><path d="M${n(x - 3.5)} ${n(y + 3.5)}l7-7"/></g>`;
    case 'ended': return `<path class="k-ended t-${tone}" d="M${X} ${n(y - 7)}v14"/>`;
    case 'reported': return `<path class="k-flag k-report t-${tone}" d="M${X} ${n(y + 6)}V${n(y - 6)}l7 3l-7 3"/>`;
    case 'closed': return `<path class="k-flag k-closed t-${tone}" d="M${X} ${n(y + 8)}V${n(y - 8)}l10 4l-10 4"/>`;
    case 'worldFault': return `<path class="k-wfault" d="M${X} ${n(y - 5)}L${n(x + 5)} ${n(y + 4)}H${n(x - 5)}Z"/>`;
    case 'rpcFault': return `<rect class="k-rfault" x="${n(x - 3.5)}" y="${n(y - 3.5)}" width="7" height="7"/>`;
    case 'processStarted': return `<path class="k-start" d="M${n(x - 3)} ${n(y - 5)}L${n(x + 5)} ${n(y)}L${n(x - 3)} ${n(y + 5)}Z"/>`;
    case 'shutdown': return `<rect class="k-shutdown" x="${n(x - 4)}" y="${n(y - 4)}" width="8" height="8"/>`;
    case 'scheduled': return `<circle class="k-sched" cx="${X}" cy="${n(y)}" r="3.5"/>`;
    case 'dispatched': return `<circle class="k-queued" cx="${X}" cy="${n(y)}" r="3.5"/>`;
    case 'timer': return `<path class="k-timer" d="M${X} ${n(y - 4)}L${n(x + 4)} ${n(y)}L${X} ${n(y + 4)}L${n(x - 4)} ${n(y)}Z"/>`;
    case 'retry': return `<path class="k-retry" d="M${n(x + 4)} ${n(y - 2)}A4.5 4.5 0 1 0 ${n(x + 4.5)} ${n(y + 1.5)}M${n(x + 4.5)} ${n(y - 5)}V${n(y - 1.5)}H${n(x + 1)}"/>`;
  }
}

/** A legend entry's swatch: a mark's symbol, or a strip, span or line of the lanes. */
export type SwatchKind = MarkKind | 'effects' | 'rewrites' | 'highlight' | 'hlTime' | 'partition' | 'serverWait' | 'zombie' | 'backoff' | 'queued' | 'noWorker' | 'bar' | 'dense';

/**
 * What the legend can show, in order: a swatch, a label, and the class by which the lanes show
 * that they drew it (the legend lists only what the lanes drew).
 */
export const LEGEND: readonly { readonly swatch: SwatchKind; readonly label: string; readonly cls: string }[] = [
  { swatch: 'bar', label: 'attempt running (lane)', cls: 'bar' },
  { swatch: 'scheduled', label: 'activity scheduled', cls: 'k-sched' },
  { swatch: 'dispatched', label: 'task queued', cls: 'k-queued' },
  { swatch: 'hbCall', label: 'heartbeat() call', cls: 'k-call' },
  { swatch: 'hbHeld', label: 'call held by the throttle', cls: 'k-held' },
  { swatch: 'hbSent', label: 'heartbeat RPC sent', cls: 'k-sent' },
  { swatch: 'stored', label: 'details stored by the server (hover: details)', cls: 'k-stored' },
  { swatch: 'hbLost', label: 'heartbeat lost', cls: 'k-lost' },
  { swatch: 'hbRejected', label: 'heartbeat rejected (NotFound)', cls: 'k-rejected' },
  { swatch: 'dense', label: 'many marks of one kind (density; hover: count)', cls: 'dense' },
  { swatch: 'crash', label: 'crash', cls: 'k-crash' },
  { swatch: 'shutdown', label: 'worker shutdown', cls: 'k-shutdown' },
  { swatch: 'timeout', label: 'timeout', cls: 'k-timeout' },
  { swatch: 'cancel', label: 'cancel', cls: 'k-cancel' },
  { swatch: 'retry', label: 'retry scheduled', cls: 'k-retry' },
  { swatch: 'backoff', label: 'retry backoff', cls: 'sp-backoff' },
  { swatch: 'queued', label: 'waiting for the retry', cls: 'sp-queued' },
  { swatch: 'serverWait', label: 'worker gone, server waits for a timeout', cls: 'sp-wait' },
  { swatch: 'zombie', label: 'zombie (runs after its attempt ended)', cls: 'sp-zombie' },
  { swatch: 'partition', label: 'partition from the server', cls: 'sp-partition' },
  { swatch: 'noWorker', label: 'no worker polls', cls: 'sp-noworker' },
  { swatch: 'worldFault', label: 'world call fault', cls: 'k-wfault' },
  { swatch: 'rpcFault', label: 'RPC fault', cls: 'k-rfault' },
  { swatch: 'ended', label: 'activity code returned / threw', cls: 'k-ended' },
  { swatch: 'reported', label: 'result reported', cls: 'k-report' },
  { swatch: 'effects', label: 'sink effects (density)', cls: 'fx' },
  { swatch: 'rewrites', label: 'sink effects redoing a record (density)', cls: 'fx-re' },
  { swatch: 'highlight', label: 'effect the verdict names', cls: 'hl-fx' },
  { swatch: 'hlTime', label: 'time the verdict names', cls: 'hl-time' },
  { swatch: 'processStarted', label: 'worker process started', cls: 'k-start' },
  { swatch: 'timer', label: 'server timer fired', cls: 'k-timer' },
  { swatch: 'closed', label: 'outcome', cls: 'k-closed' },
];

/** The classes used in `svg` (every word of every class attribute). */
export function classesIn(svg: string): Set<string> {
  const out = new Set<string>();
  for (const m of svg.matchAll(/class="([^"]*)"/g)) for (const c of m[1]!.split(/\s+/)) if (c !== '') out.add(c);
  return out;
}

/** The legend entries of what `lanesSvg` drew, in legend order. */
export function legendFor(lanesSvg: string): (typeof LEGEND)[number][] {
  const drawn = classesIn(lanesSvg);
  return LEGEND.filter((l) => drawn.has(l.cls));
}

/** A 22x16 inline SVG swatch for a legend entry. */
export function swatch(kind: SwatchKind): string {
  let body: string;
  switch (kind) {
    case 'bar': body = '<rect class="bar t-neutral" x="1" y="4" width="20" height="8" rx="2"/>'; break;
    case 'effects': body = '<rect class="fx" x="1" y="4" width="20" height="8"/>'; break;
    case 'rewrites': body = '<rect class="fx-re" x="1" y="4" width="20" height="8"/>'; break;
    case 'dense': body = '<rect class="dense" x="1" y="4" width="20" height="8"/>'; break;
    case 'highlight': body = '<path class="hl-fx" d="M11 1v14"/><circle class="hl-dot" cx="11" cy="8" r="2.5"/>'; break;
    case 'hlTime': body = '<path class="hl-time" d="M11 5V16"/><path class="hl-time-head" d="M6 0h10l-5 8z"/>'; break;
    case 'partition': body = '<rect class="sp-partition" x="1" y="2" width="20" height="12"/>'; break;
    case 'noWorker': body = '<rect class="sp-noworker" x="1" y="2" width="20" height="12"/>'; break;
    case 'serverWait': body = '<rect class="sp-wait" x="1" y="4" width="20" height="8"/>'; break;
    case 'zombie': body = '<rect class="sp-zombie" x="1" y="4" width="20" height="8"/>'; break;
    case 'backoff': body = '<path class="sp-backoff" d="M2 4v8M2 8h18M20 4v8"/>'; break;
    case 'queued': body = '<path class="sp-queued" d="M2 8h18"/>'; break;
    case 'ended': body = symbol('ended', 11, 8, 'ok'); break;
    case 'reported': body = symbol('reported', 9, 8, 'ok'); break;
    case 'closed': body = symbol('closed', 8, 8, 'ok'); break;
    default: body = symbol(kind, 11, 8);
  }
  return `<svg class="sw" width="22" height="16" viewBox="0 0 22 16" aria-hidden="true">${body}</svg>`;
}
