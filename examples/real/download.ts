/**
 * A download that restarts by design, in the shape of Temporal's `cancellableFetch` sample: it
 * streams the whole file, heartbeats the fraction read (for the UI, and so a dead worker is
 * noticed within the heartbeat timeout), never resumes (a partial download is worthless), and
 * stores the file once, at the end, with an idempotent put.
 *
 * Expected verdict: every property holds.
 *
 *   npx hbsim check examples/real/download.ts
 */
import { cancellationSignal, heartbeat } from '@temporalio/activity';
import { defineScenario } from 'hbsim';

export default defineScenario({
  name: 'download',
  api: 'temporal',
  records: 80,
  args: ['https://files.example/reports/2026-10.csv', 'reports/2026-10'],
  options: { startToCloseTimeout: '2m', heartbeatTimeout: '5s', retry: { initialInterval: '1s', maximumInterval: '10s' } },
  activity: (world) => async (url: string, target: string) => {
    const signal = cancellationSignal();
    const chunks: number[] = [];
    let read = 0;
    while (read < world.source.size) {
      signal.throwIfAborted();
      const chunk = await world.source.read(read, 8); // a chunk of the response body
      for (const part of chunk) chunks.push(part.amount);
      read += chunk.length;
      heartbeat(read / world.source.size);
    }
    const checksum = chunks.reduce((a, b) => (a * 31 + b) % 1_000_000_007, 7);
    await world.sink.put(target, { url, bytes: chunks.length, checksum });
    return { bytes: chunks.length, checksum };
  },
});
