/**
 * A self-contained HTML timeline of one simulation run, readable offline: attempts as lanes on
 * a virtual-time axis (inline SVG), then the verdict, the fault plan, the replay command, the
 * counts and the full text timeline with a filter. No external resource; the inline script only
 * adds the filter. Same input, same bytes (no dates, no random ids).
 */
import { describeFault } from '../../sim/fault-plan.js';
import type { SimulationResult } from '../../sim/simulation.js';
import { formatTime } from '../../sim/trace.js';
import { escapeHtml } from './escape.js';
import { buildLaneModel, toneOf } from './lane-model.js';
import { describeOutcome } from '../../sim/outcome-text.js';
import { PAGE_CSS, PAGE_SCRIPT } from './page-assets.js';
import { ZOOM_SCRIPT } from './zoom-script.js';
import { rewriteFlags } from './rewrites.js';
import { legendFor, swatch } from './svg-marks.js';
import { renderLanesSvg } from './svg-lanes.js';
import { renderTextTimeline } from './text-timeline.js';
import { shortTime } from './time-axis.js';

export interface TimelineReport {
  /** e.g. `statements-ticker: idempotent violated (seed 42)`. */
  readonly title: string;
  readonly result: SimulationResult;
  readonly verdict?: { readonly property: string; readonly summary: string; readonly details?: readonly string[] };
  /** The exact replay command. */
  readonly replay?: string;
  /** Records (sink keys) and event times the verdict is about. */
  readonly highlight?: { readonly keys?: readonly string[]; readonly times?: readonly number[] };
}

/** Density bins across the time axis (about 3 px each). */
const BINS = 320;

export function renderTimelineHtml(report: TimelineReport): string {
  const r = report.result;
  const highlight = report.highlight ?? {};
  const text = renderTextTimeline(r.trace, rewriteFlags(r.trace), highlight);
  const model = buildLaneModel(r, { bins: BINS, ...(highlight.keys ? { keys: highlight.keys } : {}), ...(highlight.times ? { times: highlight.times } : {}) });
  const svg = renderLanesSvg(model, text.anchorOf);
  const e = escapeHtml;
  const tone = toneOf(r.outcome.status);

  const header = `<header>
<h1>${e(report.title)}</h1>
<p class="meta">scenario <b>${e(r.scenario)}</b> · seed <b>${r.seed}</b> · <span class="outcome t-${tone}">${e(r.outcome.status)}</span> ${e(describeOutcome(r.outcome, { result: true }))}</p>
<p class="meta">${r.attempts.length} attempt${r.attempts.length === 1 ? '' : 's'} · ${r.faults.length} fault${r.faults.length === 1 ? '' : 's'} · ran ${e(shortTime(r.endedAt))} of virtual time (${formatTime(r.endedAt)}) · ${r.trace.length} trace events · digest <code>${e(r.digest)}</code></p>
</header>`;

  const dropped = model.highlightedDropped > 0 ? ` ${model.highlightedDropped} more effects on highlighted keys are only in the density strips.` : '';
  const figure = `<div id="zoom-bar" class="zoom-bar" hidden><button type="button" class="zoom-reset">whole run</button><span class="zoom-status"></span><span class="hint">drag across the lanes to zoom in · Ctrl/⌘ + wheel to zoom · click an attempt's name to fit it · double click: whole run</span></div>
<section class="figure">${svg}</section>
<ul class="legend">${legendFor(svg).map((l) => `<li>${swatch(l.swatch)}${e(l.label)}</li>`).join('')}</ul>
<p class="hint">Hover a mark for its details; click it to jump to its line in the text timeline.${dropped}</p>`;

  const verdict = report.verdict === undefined
    ? `<h2>Verdict</h2><div class="verdict none">No verdict attached to this run.</div>`
    : `<h2>Verdict</h2><div class="verdict"><div><span class="prop">${e(report.verdict.property)}</span>: ${e(report.verdict.summary)}</div>${
      report.verdict.details !== undefined && report.verdict.details.length > 0 ? `<ul>${report.verdict.details.map((d) => `<li>${e(d)}</li>`).join('')}</ul>` : ''
    }</div>`;

  const faults = r.faults.length === 0
    ? '<p class="meta">No faults injected.</p>'
    : `<ol class="faults">${r.faults.map((f) => `<li>${e(describeFault(f, formatTime))}</li>`).join('')}</ol>`;

  const replay = report.replay === undefined ? '' : `<h2>Replay</h2><code class="replay">${e(report.replay)}</code><p class="hint">Click the command to select it.</p>`;

  const c = r.counts;
  const countRows: [string, number][] = [
    ['attempts', c.attempts], ['crashes', c.crashes], ['heartbeat() calls', c.heartbeatCalls], ['heartbeats sent', c.heartbeatsSent],
    ['details stored', c.detailsStored], ['sink effects', c.effects], ['effects redoing a record', c.recordsRedone], ['keys in the sink', r.sink.size],
  ];
  const counts = `<table class="counts">${countRows.map(([k, v]) => `<tr><td>${k}</td><td class="num">${v}</td></tr>`).join('')}</table>`;
  const warnings = r.warnings.length === 0 ? '' : `<h2>Warnings</h2><ul class="warnings">${r.warnings.map((w) => `<li>${e(w)}</li>`).join('')}</ul>`;

  const timeline = `<h2>Text timeline</h2>
<div id="tl-filter" class="filter" hidden><input id="tl-q" type="search" placeholder="filter lines (e.g. attempt 2, CRASH, a key)" aria-label="filter lines"><label><input id="tl-only" type="checkbox"> highlighted only</label><span id="tl-count"></span></div>
${text.html}`;

  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(report.title)}</title>
<style>${PAGE_CSS}</style>
</head>
<body>
${header}
${figure}
${verdict}
<div class="cols"><div><h2>Fault plan</h2>${faults}</div><div><h2>Counts</h2>${counts}</div></div>
${replay}
${warnings}
${timeline}
<script>${PAGE_SCRIPT}${ZOOM_SCRIPT}</script>
</body>
</html>
`;
}
