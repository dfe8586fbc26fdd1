/**
 * A worker thread of the search's pool: loads the scenario module itself (TypeScript through
 * tsx), keeps one evaluator per scenario and seed (so reference runs are cached per thread), and
 * runs the tasks of properties/pool-task.ts.
 */
import { configErrorToWire, HbsimConfigError } from '../src/errors.js';
import { importScenarioModule } from '../src/load-scenario.js';
import { normalizeScenario } from '../src/scenario.js';
import { runScenario } from '../sim/simulate.js';
import type { SimulationResult } from '../sim/simulation.js';
import { formatEvent } from '../sim/trace.js';
import { CHECK_ATTEMPT_LIMIT, LocalEvaluator } from './case-runner.js';
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

/** Errors in the user's scenario (a throwing activity factory) cross back as data, keeping their class. */
export default async function run(task: PoolTask): Promise<unknown> {
  try {
    return await runTask(task);
  } catch (error) {
    if (error instanceof HbsimConfigError) return configErrorToWire(error);
    throw error;
  }
}

async function runTask(task: PoolTask): Promise<unknown> {
  task.progress[4] = 1; // taken: from now on the watchdog bounds the time spent outside runs
  const evaluator = await evaluatorFor(task);
  const extra = { progress: task.progress };
  switch (task.kind) {
    case 'load':
      return null;
    case 'reference': {
      // The main thread keeps this one (plan space, explanations): a full trace, not the cached lean one.
      const full = await runScenario(evaluator.scenario, { seed: task.worldSeed, inspectDetails: true, callLog: true, progress: task.progress, attemptLimit: CHECK_ATTEMPT_LIMIT });
      return cloneable(full);
    }
    case 'evaluate':
      return evaluator.evaluate(task.c, task.rerun, extra);
    case 'evaluateBatch': {
      const verdicts = [];
      for (let i = 0; i < task.cases.length; i++) {
        task.progress[5] = i;
        const { c, rerun } = task.cases[i]!;
        verdicts.push(await evaluator.evaluate(c, rerun, extra));
      }
      return verdicts;
    }
    case 'tail': {
      const r = await runScenario(evaluator.scenario, {
        seed: task.worldSeed,
        ...(task.c ? { faults: task.c.plan } : {}),
        inspectDetails: true,
        trace: 'full',
        stepLimit: task.stepLimit,
        attemptLimit: CHECK_ATTEMPT_LIMIT,
        progress: task.progress,
      });
      const answer: TailAnswer = { lastEvents: r.trace.slice(-15).map(formatEvent), at: r.endedAt };
      return answer;
    }
  }
}
