/**
 * A worker thread of `hbsim bench`: imports the scenario module itself (TypeScript through tsx),
 * prepares the points once per task settings, and simulates a range of runs of one point. Runs
 * are seeded by their index, so which thread runs them does not change the results.
 */
import { configErrorToWire, HbsimConfigError, type ConfigErrorWire } from '../../src/errors.js';
import { importScenarioModule } from '../../src/load-scenario.js';
import { prepareBench, simulateFaultFree, simulateRuns, type PreparedPoint, type RunMetrics } from './runner.js';
import type { BenchTask } from './pool.js';

const prepared = new Map<string, Promise<readonly PreparedPoint[]>>();

/** Errors in the user's scenario (a throwing activity factory) cross back as data, keeping their class. */
export default async function run(task: BenchTask): Promise<RunMetrics[] | ConfigErrorWire> {
  try {
    return await runTask(task);
  } catch (error) {
    if (error instanceof HbsimConfigError) return configErrorToWire(error);
    throw error;
  }
}

async function runTask(task: BenchTask): Promise<RunMetrics[]> {
  const key = JSON.stringify([task.file, task.settings]);
  let points = prepared.get(key);
  if (points === undefined) {
    points = importScenarioModule(task.file).then((raw) => prepareBench(raw, task.settings).points);
    prepared.set(key, points);
  }
  const point = (await points)[task.point]!;
  if (task.faultFree === true) return [await simulateFaultFree(point.scenario, task.settings.seed)];
  return simulateRuns(point.scenario, task.settings, task.from, task.to);
}
