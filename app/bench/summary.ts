/**
 * The benchmark's `summary.md` and the text `hbsim bench` prints: an overview table (one row
 * per point), a table per point with the simulation and the analytic model side by side, and
 * the recommendation with its reasons.
 */
import { formatDuration } from '../../src/duration.js';
import type { BenchPoint, BenchResult } from './runner.js';

/** `12.34 s`, `612.3 s`; em dash for no value. */
export function sec(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '-';
  const s = ms / 1000;
  return `${s.toFixed(s < 10 ? 2 : 1)} s`;
}

function num(x: number | null | undefined, digits = 2): string {
  return x === null || x === undefined || !Number.isFinite(x) ? '-' : x.toFixed(digits);
}

function pct(x: number | null | undefined): string {
  return x === null || x === undefined || !Number.isFinite(x) ? '-' : `${(x * 100).toFixed(1)}%`;
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)];
}

/** How a point is named: the swept value, or "all runs". */
export function pointLabel(result: BenchResult, p: BenchPoint): string {
  return result.sweep === null ? 'all runs' : `${result.sweep.key}=${String(p.params[result.sweep.key])}`;
}

/** The settings in one line. */
export function settingsLine(result: BenchResult): string {
  const crashes = result.mtbfMs > 0 ? `worker crashes as a Poisson process, mean ${formatDuration(result.mtbfMs)} between crashes while an attempt runs` : 'no crashes';
  const rpc = result.rpcLatencyMs === null ? "the scenario's RPC latency" : `RPC latency ${formatDuration(result.rpcLatencyMs)}`;
  return `scenario ${result.scenario}, seed ${result.seed}, ${result.runs} runs per point, ${crashes}, ${rpc}`;
}

/**
 * Why there is no model, once, for the lines under the overview table: `model: none (reason)`
 * when no point has one, else one line per point without one. Empty when every point has one.
 */
export function modelNotes(result: BenchResult): string[] {
  const without = result.points.filter((p) => !p.model.applicable);
  if (without.length === 0) return [];
  const reasons = [...new Set(without.map((p) => (p.model.applicable ? '' : p.model.reason)))];
  if (without.length === result.points.length && reasons.length === 1) return [`model: none (${reasons[0]})`];
  return without.map((p) => `model for ${pointLabel(result, p)}: none (${p.model.applicable ? '' : p.model.reason})`);
}

/** The overview: one row per point (no model column when no point has a model). */
export function overviewTable(result: BenchResult): string[] {
  const anyModel = result.points.some((p) => p.model.applicable);
  const header = [result.sweep?.key ?? 'point', anyModel ? 'completion mean (model)' : 'completion mean', 'p50', 'p95', 'p99', 'attempts', 'crashes', 'redone (per crash)', 'heartbeat calls', 'sent', 'reached server', 'detection delay', 'wasted'];
  return table(header, result.points.map((p) => {
    const m = p.model.applicable ? p.model : undefined;
    return [
      result.sweep === null ? 'all runs' : String(p.params[result.sweep.key]),
      anyModel ? `${sec(p.completionTime.mean)} (${m ? sec(m.completionTime.mean) : '-'})` : sec(p.completionTime.mean),
      sec(p.completionTime.p50),
      sec(p.completionTime.p95),
      sec(p.completionTime.p99),
      num(p.attempts.mean),
      num(p.crashes.mean),
      `${num(p.redoneRecords.mean, 1)} (${num(p.redoneRecords.perCrash, 1)})`,
      num(p.heartbeatCalls.mean, 1),
      num(p.heartbeatsSent.mean, 1),
      num(p.detailsStored.mean, 1),
      sec(p.detectionDelay.mean),
      pct(p.wastedShare),
    ];
  }));
}

/** A point's table: simulation and model side by side. */
export function pointTable(p: BenchPoint): string[] {
  const m = p.model.applicable ? p.model : undefined;
  const se = p.completionTime.stdErr;
  const diff = m ? p.completionTime.mean - m.completionTime.mean : NaN;
  const rows: string[][] = [
    ['completion time, mean', `${sec(p.completionTime.mean)} ± ${sec(se)} (standard error)`, m ? sec(m.completionTime.mean) : '-'],
    ['completion time, p50 / p95 / p99', `${sec(p.completionTime.p50)} / ${sec(p.completionTime.p95)} / ${sec(p.completionTime.p99)}`, '-'],
    ['completion time without crashes', sec(p.faultFree.completionTime), m ? sec(m.terms.work + m.terms.checkpoints + m.terms.completionLag) : '-'],
    ['attempts, mean', num(p.attempts.mean, 3), m ? num(m.attempts.mean, 3) : '-'],
    ['crashes, mean', num(p.crashes.mean, 3), m ? num(m.crashes.mean, 3) : '-'],
    ['records redone, mean (per crash)', `${num(p.redoneRecords.mean)} (${num(p.redoneRecords.perCrash)})`, m ? `${num(m.redoneRecords.mean)} (${num(m.redoneRecords.perCrash)})` : '-'],
    ['heartbeat calls, mean', num(p.heartbeatCalls.mean), m ? num(m.heartbeatCalls.mean) : '-'],
    ['heartbeats sent, mean', num(p.heartbeatsSent.mean), m ? num(m.heartbeatsSent.mean) : '-'],
    ['heartbeats that reached the server, mean', num(p.detailsStored.mean), m ? num(m.detailsStored.mean) : '-'],
    ['detection delay after a crash, mean', sec(p.detectionDelay.mean), m ? sec(m.detectionDelay.mean) : '-'],
    ['work wasted (redone sink effects / all)', pct(p.wastedShare), '-'],
    ['runs completed', `${p.completed} of ${p.runs}`, '-'],
  ];
  const lines = table(['', 'simulation', 'model'], rows);
  if (m) {
    lines.push('', `Model: ${m.regime}, ${m.method}${m.exact ? '' : ' (approximate)'}, ${m.segments} segments of ${m.recordsPerHeartbeat} records. E[T] = W ${sec(m.terms.work)} + (n-1)C ${sec(m.terms.checkpoints)} + h ${sec(m.terms.completionLag)} + H E[K] ${sec(m.terms.detection)} + sum B_k P(K >= k) ${sec(m.terms.backoff)} + E[sum lag] ${sec(m.terms.lag)}. Simulation - model: ${sec(diff)} (${num(diff / se, 1)} standard errors, ${pct(diff / m.completionTime.mean)}).`);
    for (const note of m.notes) lines.push(`- ${note}`);
  } else if (!p.model.applicable) {
    lines.push('', `No analytic model: ${p.model.reason}.`);
  }
  return lines;
}

/** The whole summary.md. `command` is the command line that produced it. */
export function summaryMarkdown(result: BenchResult, command: string): string {
  const lines: string[] = [`# hbsim bench: ${result.scenario}`, '', '```', command, '```', '', `${settingsLine(result)}. Times from the first schedule to completion; "model" is the analytic checkpoint model (README, "Benchmarking heartbeat intervals").`, ''];
  lines.push('## Recommendation', '');
  const r = result.recommendation;
  lines.push(r.point === null ? 'None.' : result.sweep === null ? 'One point: nothing to choose between.' : `**${result.sweep.key}=${String(r.value)}**`, '');
  for (const reason of r.reasons) lines.push(`- ${reason}`);
  const notes = modelNotes(result);
  lines.push('', '## All points', '', ...overviewTable(result), '', ...(notes.length > 0 ? [...notes, ''] : []));
  lines.push('![completion time](completion-time.svg)', '', '![heartbeats sent](heartbeats-sent.svg)', '');
  for (const p of result.points) lines.push(`## ${pointLabel(result, p)}`, '', `Parameters: ${Object.entries(p.params).map(([k, v]) => `${k}=${String(v)}`).join(', ') || '(the scenario\'s)'}`, '', ...pointTable(p), '');
  return lines.join('\n');
}
