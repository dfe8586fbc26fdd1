/**
 * BROKEN on purpose (written against @temporalio/activity): the activity keeps the offsets it
 * has done in a Set and heartbeats it. The default payload converter turns a Set into `{}`, so
 * every retry silently starts from nothing.
 *
 * Expected verdict: details-serializable violated.
 */
import { activityInfo, heartbeat } from '@temporalio/activity';
import { defineScenario } from 'hbsim';

export default defineScenario({
  name: 'details-set',
  api: 'temporal',
  records: 200,
  options: { startToCloseTimeout: '10m', heartbeatTimeout: '10s', retry: { initialInterval: '1s', maximumAttempts: 10 } },
  activity: (world) => async () => {
    const previous = activityInfo().heartbeatDetails as { done?: unknown } | undefined;
    const done = new Set<number>(Array.isArray(previous?.done) ? (previous.done as number[]) : []);
    for (let offset = 0; offset < world.source.size; offset += 20) {
      for (const record of await world.source.read(offset, 20)) {
        if (done.has(record.offset)) continue;
        await world.sink.put(`statement/${record.key}`, record.amount);
        done.add(record.offset);
        heartbeat({ done }); // BUG: a Set does not survive JSON
      }
    }
    return done.size;
  },
});
