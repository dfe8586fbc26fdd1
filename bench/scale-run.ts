/**
 * One run of the seed example at a given size, in a process of its own (for `npm run bench`'s
 * scale row): prints JSON with the records written, the CPU and wall time of the run, and the
 * resident memory it added (RSS after the run, the result still held, minus RSS before it), and
 * the JavaScript heap it added after a collection (what Node's heap limit, --max-old-space-size, bounds).
 *
 *   npx tsx bench/scale-run.ts <records> [full|lean]
 */
import { normalizeScenario } from '../src/scenario.js';
import { runScenario } from '../sim/simulate.js';
import seed from '../examples/statements-ticker.js';

const records = Number(process.argv[2] ?? 100_000);
const trace = process.argv[3] === 'lean' ? 'lean' : 'full';
const scenario = normalizeScenario({ ...seed, records, options: { ...seed.options, startToCloseTimeout: '30d', scheduleToCloseTimeout: undefined } });
// Warm up on a small copy (JIT), then measure from a collected heap.
await runScenario(normalizeScenario({ ...seed, records: 20_000 }), { seed: 1, trace });
(globalThis as { gc?: () => void }).gc?.();
const { rss: rss0, heapUsed: heap0 } = process.memoryUsage();
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const result = await runScenario(scenario, { seed: 1, trace, maxVirtualTimeMs: 365 * 86_400_000 });
const wallMs = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
(globalThis as { gc?: () => void }).gc?.();
const { rss, heapUsed } = process.memoryUsage();
console.log(JSON.stringify({ records, trace, effects: result.counts.effects, outcome: result.outcome.status, digest: result.digest, wallMs, cpuMs: (cpu.user + cpu.system) / 1000, rssAddedBytes: rss - rss0, heapAddedBytes: heapUsed - heap0, sink: result.sink.size }));
