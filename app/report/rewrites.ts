/**
 * Which sink effects of a trace redo work, as `counts.recordsRedone` counts them (sim/world.ts):
 * a put on a key an earlier effect had written; an add that was not applied (its idempotency key
 * was seen) or that adds the same delta to the same key as an earlier add (the same record done
 * again). Many adds to one total are not redone work: only a repeat of one of them is.
 */
import type { TraceEvent } from '../../sim/trace.js';

/** `flags[i] === 1` when trace event `i` is a sink effect that redoes an earlier one. */
export function rewriteFlags(trace: readonly TraceEvent[]): Uint8Array {
  const flags = new Uint8Array(trace.length);
  const written = new Set<string>();
  const adds = new Set<string>();
  for (let i = 0; i < trace.length; i++) {
    const ev = trace[i]!;
    if (ev.type !== 'effect') continue;
    if (ev.op === 'put') {
      if (written.has(ev.key)) flags[i] = 1;
    } else {
      // The trace has no idempotency key: an applied add with one is counted by key and delta too
      // (two records adding the same amount to the same total would count as a repeat).
      const identity = `${ev.key}\u0000${String(ev.value)}`;
      if (!ev.applied || adds.has(identity)) flags[i] = 1;
      adds.add(identity);
    }
    written.add(ev.key);
  }
  return flags;
}
