/**
 * A worker thread of the search's pool: loads the scenario module itself (TypeScript through
 * tsx), keeps one evaluator per scenario and seed (so reference runs are cached per thread), and
 * runs the tasks of properties/pool-task.ts.
 */
import { importScenarioModule } from '../src/load-scenario.js';
import { normalizeScenario } from '../src/scenario.js';
import { runScenario } from '../sim/simulate.js';
import type { SimulationResult } from '../sim/simulation.js';
import { formatEvent } from '../sim/trace.js';
import { LocalEvaluator } from './case-runner.js';
import type { PoolScenarioRef, PoolTask, TailAnswer } from './pool-task.js';

const evaluators = new Map<string, Promise<LocalEvaluator>>();

function evaluatorFor(ref: PoolScenarioRef): Promise<LocalEvaluator> {
  const key = `${ref.file}\u0000${ref.profile ?? ''}\u0000${ref.baseSeed}`;
  let e = evaluators.get(key);
  if (e === undefined) {
    e = importScenarioModule(ref.file).then((raw) => {
      const value = ref.profile !== undefined && typeof raw === 'object' && raw !== null ? { ...(raw as object), profile: ref.profile } : raw;
      return new LocalEvaluator(normalizeScenario(value), ref.baseSeed, 'lean');
    });
    evaluators.set(key, e);
  }
  return e;
}

/** A result that can cross to the main thread: user values that cannot be cloned go as JSON. */
function cloneable(result: SimulationResult): SimulationResult {
  try {
    structuredClone(result);
    return result;
  } catch {
    return JSON.parse(JSON.stringify({ ...result, sink: [...result.sink] }), (k, v: unknown) => (k === 'sink' && Array.isArray(v) ? new Map(v as [string, unknown][]) : v)) as SimulationResult;
  }
}

export default async function run(task: PoolTask): Promise<unknown> {
  task.progress[4] = 1; // taken: from now on the watchdog bounds the time spent outside runs
  const evaluator = await evaluatorFor(task);
  const extra = { progress: task.progress };
  switch (task.kind) {
    case 'reference': {
      // The main thread keeps this one (plan space, explanations): a full trace, not the cached lean one.
      const full = await runScenario(evaluator.scenario, { seed: task.worldSeed, inspectDetails: true, progress: task.progress });
      return cloneable(full);
    }
    case 'evaluate':
      return evaluator.evaluate(task.c, task.rerun, extra);
    case 'tail': {
      const r = await runScenario(evaluator.scenario, {
        seed: task.worldSeed,
        ...(task.c ? { faults: task.c.plan } : {}),
        inspectDetails: true,
        trace: 'full',
        stepLimit: task.stepLimit,
        progress: task.progress,
      });
      const answer: TailAnswer = { lastEvents: r.trace.slice(-15).map(formatEvent), at: r.endedAt };
      return answer;
    }
  }
}
