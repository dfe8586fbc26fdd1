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
    case 'reported': return `<path class="k-flag t-${tone}" d="M${X} ${n(y + 6)}V${n(y - 6)}l7 3l-7 3"/>`;
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

/** What the legend shows, in order: a swatch (a symbol, a strip or a span) and a label. */
export const LEGEND: readonly { readonly swatch: MarkKind | 'effects' | 'rewrites' | 'highlight' | 'partition' | 'serverWait' | 'zombie' | 'backoff' | 'bar'; readonly label: string }[] = [
  { swatch: 'bar', label: 'attempt running (lane)' },
  { swatch: 'hbCall', label: 'heartbeat() call' },
  { swatch: 'hbHeld', label: 'call held by the throttle' },
  { swatch: 'hbSent', label: 'heartbeat RPC sent' },
  { swatch: 'stored', label: 'details stored by the server (hover: details)' },
  { swatch: 'hbLost', label: 'heartbeat lost' },
  { swatch: 'hbRejected', label: 'heartbeat rejected (NotFound)' },
  { swatch: 'crash', label: 'crash' },
  { swatch: 'timeout', label: 'timeout' },
  { swatch: 'cancel', label: 'cancel' },
  { swatch: 'retry', label: 'retry scheduled' },
  { swatch: 'backoff', label: 'retry backoff' },
  { swatch: 'serverWait', label: 'worker gone, server waits for a timeout' },
  { swatch: 'zombie', label: 'zombie (runs after its attempt ended)' },
  { swatch: 'partition', label: 'partition from the server' },
  { swatch: 'worldFault', label: 'world call fault' },
  { swatch: 'rpcFault', label: 'RPC fault' },
  { swatch: 'ended', label: 'activity code returned / threw' },
  { swatch: 'reported', label: 'result reported' },
  { swatch: 'effects', label: 'sink effects (density)' },
  { swatch: 'rewrites', label: 'sink effects redoing a key (density)' },
  { swatch: 'highlight', label: 'effect on a highlighted key' },
  { swatch: 'processStarted', label: 'worker process started' },
  { swatch: 'timer', label: 'server timer fired' },
  { swatch: 'closed', label: 'outcome' },
];

/** A 22x16 inline SVG swatch for a legend entry. */
export function swatch(kind: (typeof LEGEND)[number]['swatch']): string {
  let body: string;
  switch (kind) {
    case 'bar': body = '<rect class="bar t-neutral" x="1" y="4" width="20" height="8" rx="2"/>'; break;
    case 'effects': body = '<rect class="fx" x="1" y="4" width="20" height="8"/>'; break;
    case 'rewrites': body = '<rect class="fx-re" x="1" y="4" width="20" height="8"/>'; break;
    case 'highlight': body = '<path class="hl-fx" d="M11 1v14"/><circle class="hl-dot" cx="11" cy="8" r="2.5"/>'; break;
    case 'partition': body = '<rect class="sp-partition" x="1" y="2" width="20" height="12"/>'; break;
    case 'serverWait': body = '<rect class="sp-wait" x="1" y="4" width="20" height="8"/>'; break;
    case 'zombie': body = '<rect class="sp-zombie" x="1" y="4" width="20" height="8"/>'; break;
    case 'backoff': body = '<path class="sp-backoff" d="M2 4v8M2 8h18M20 4v8"/>'; break;
    case 'ended': body = symbol('ended', 11, 8, 'ok'); break;
    case 'reported': body = symbol('reported', 9, 8, 'ok'); break;
    case 'closed': body = symbol('closed', 8, 8, 'ok'); break;
    default: body = symbol(kind, 11, 8);
  }
  return `<svg class="sw" width="22" height="16" viewBox="0 0 22 16" aria-hidden="true">${body}</svg>`;
}
