/**
 * `hbsim run <scenario-file> [--seed S] [--fault JSON]...`: one simulation, its timeline and
 * counts. For looking at what a scenario does, with or without a scripted fault plan.
 */
import pretty from 'pino-pretty';
import type { DestinationStream } from 'pino';
import type { NormalizedScenario } from '../../src/scenario.js';
import { runScenario } from '../../sim/simulate.js';
import type { Fault } from '../../sim/fault-plan.js';
import { formatTime } from '../../sim/trace.js';
import { timelineLines } from './timeline-text.js';

/** The pino logs of a run, for a person: pretty, on stderr, times in virtual UTC. */
function prettyLog(): DestinationStream {
  return pretty({ destination: 2, sync: true, translateTime: 'UTC:yyyy-mm-dd HH:MM:ss.l', ignore: 'pid,hostname,event' });
}

export async function runCommand(scenario: NormalizedScenario, seed: number, faults: readonly Fault[], verbose: boolean, log = false): Promise<{ lines: string[]; json: object; ok: boolean }> {
  const r = await runScenario(scenario, { seed, faults, inspectDetails: true, ...(log ? { logTo: prettyLog(), logLevel: verbose ? 'trace' : 'debug' } : {}) });
  const lines = timelineLines(r.trace, { all: verbose });
  const c = r.counts;
  lines.push(
    '',
    `outcome: ${r.outcome.status} at ${formatTime(r.outcome.at)}; ${c.attempts} attempt(s), ${c.crashes} crash(es), ${c.effects} sink effects (${c.recordsRedone} redone), ${c.heartbeatCalls} heartbeat calls, ${c.heartbeatsSent} sent, ${c.detailsStored} stored; trace digest ${r.digest}`,
  );
  for (const w of r.warnings) lines.push(`warning: ${w}`);
  return {
    lines,
    ok: r.outcome.status === 'completed',
    json: { scenario: r.scenario, seed, faults, outcome: r.outcome, attempts: r.attempts, counts: r.counts, digest: r.digest, warnings: r.warnings, trace: r.trace },
  };
}
