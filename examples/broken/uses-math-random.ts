/**
 * BROKEN on purpose: the activity jitters its pace with Math.random(), which hbsim does not
 * control, so two runs with the same seed differ and no failure can be replayed.
 *
 * Expected verdict: deterministic violated. The fix: world.random(), seeded by hbsim.
 */
import { defineScenario } from 'hbsim';

export default defineScenario({
  name: 'uses-math-random',
  api: 'native',
  records: 50,
  options: { startToCloseTimeout: '10m', heartbeatTimeout: '10s', retry: { initialInterval: '1s', maximumAttempts: 10 } },
  activity: (world) => async (ctx) => {
    let offset = ctx.heartbeatDetails<number>() ?? 0;
    while (offset < world.source.size) {
      for (const record of await world.source.read(offset, 10)) {
        await ctx.sleep(Math.floor(Math.random() * 100)); // BUG: real randomness escapes the simulation
        await world.sink.put(`statement/${record.key}`, record.amount);
        offset = record.offset + 1;
        ctx.heartbeat(offset);
      }
    }
    return offset;
  },
});
