/**
 * The coverage page of a check (`reports/coverage/<scenario>-<seed>.html`): per fault-place kind,
 * how many of the single-fault places of the fault-free run the check exercised, with a bar; the
 * regression corpus replayed; the exhaustive summary. Self-contained, deterministic bytes.
 */
import type { CheckReport } from '../../properties/check.js';
import { exhaustiveLine } from '../../properties/exhaustive.js';
import { escapeHtml as e } from './escape.js';

export function renderCoverageHtml(report: CheckReport, title: string): string {
  const c = report.coverage;
  const pct = (n: number, d: number) => (d === 0 ? 100 : Math.round((n / d) * 100));
  const row = (label: string, n: number, d: number, sub: boolean) => `<tr${sub ? ' class="part"' : ''}><td>${sub ? '&nbsp;&nbsp;– ' : ''}${e(label)}</td><td class="n">${n} of ${d}</td><td><span class="bar"><span style="width:${pct(n, d)}%"></span></span> ${pct(n, d)}%</td></tr>`;
  const rows = c.kinds.flatMap((k) => [row(k.label, k.exercised, k.total, false), ...(k.parts ?? []).map((p) => row(p.label, p.exercised, p.total, true))]).join('\n');
  const corpus = report.corpus.length === 0
    ? '<p>No regression case for this scenario yet.</p>'
    : `<table><tr><th>case</th><th>property</th><th>status</th></tr>${report.corpus.map((r) => `<tr><td><code>${e(r.file)}</code></td><td>${e(r.property)}</td><td class="s-${r.status}">${e(r.status)}${r.why ? `: ${e(r.why)}` : ''}</td></tr>`).join('')}</table>`;
  const mode = report.exhaustive ? e(exhaustiveLine(report.exhaustive)) : `${report.runs} random cases per property (seed ${report.seed}), ${report.simulated} runs simulated`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${e(title)}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:2em;color:#222;max-width:60em}
table{border-collapse:collapse;margin:.5em 0}td,th{padding:.2em .8em;text-align:left;border-bottom:1px solid #ddd}
td.n{text-align:right;font-variant-numeric:tabular-nums}
.bar{display:inline-block;width:12em;height:.8em;background:#eee;vertical-align:middle}.bar span{display:block;height:100%;background:#3a7}
.part td{color:#555;font-size:92%}.s-fails{color:#b22}.s-stale{color:#a70}.s-passes{color:#3a7}
</style></head><body>
<h1>${e(title)}</h1>
<p>${mode}</p>
<h2>Fault-space coverage</h2>
<p>${c.exercised} of ${c.total} single-fault places of the fault-free run exercised. Event-keyed places: one per sink effect, heartbeat() call, stored heartbeat, throttled call, heartbeat RPC or world call (SQL statements and service calls count as effects and as world calls, split below their kind); time-keyed places: one per heartbeat window (between two heartbeats the server stored).</p>
<table><tr><th>place</th><th>exercised</th><th></th></tr>
${rows}
</table>
<h2>Regression corpus</h2>
${corpus}
</body></html>
`;
}
