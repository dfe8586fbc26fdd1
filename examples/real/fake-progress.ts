/**
 * Several positional arguments, in the shape of Temporal's `fakeProgress(sleepIntervalMs,
 * numIters)` (samples-typescript `activities-cancellation-heartbeating`, sdk-typescript test
 * activities): a cancellable loop that sleeps, heartbeats its step, and resumes from the last
 * step the server holds. No side effects: only `completes` and `progress-monotonic` are judged.
 *
 * Expected verdict: every property holds.
 *
 *   npx hbsim check examples/real/fake-progress.ts
 */
import { activityInfo, CancelledFailure, heartbeat, log, sleep } from '@temporalio/activity';
import { defineScenario } from 'hbsim';

export async function fakeProgress(sleepIntervalMs = 1000, numIters = 100): Promise<number> {
  try {
    const startingPoint: number = activityInfo().heartbeatDetails ?? 1;
    for (let progress = startingPoint; progress <= numIters; ++progress) {
      await sleep(sleepIntervalMs);
      heartbeat(progress);
    }
    return numIters;
  } catch (err) {
    if (err instanceof CancelledFailure) log.warn('fake progress cancelled', { message: err.message });
    throw err;
  }
}

export default defineScenario({
  name: 'fake-progress',
  api: 'temporal',
  args: [200, 40],
  options: { startToCloseTimeout: '1m', heartbeatTimeout: '2s', retry: { initialInterval: '1s' } },
  progress: (details: number) => details,
  activity: () => fakeProgress,
});
