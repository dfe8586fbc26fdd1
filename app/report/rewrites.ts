/**
 * Which sink effects of a trace redo work: an effect on a key that an earlier effect had
 * already written (the trace-level view of `counts.recordsRedone`).
 */
import type { TraceEvent } from '../../sim/trace.js';

/** `flags[i] === 1` when trace event `i` is a sink effect on a key written by an earlier effect. */
export function rewriteFlags(trace: readonly TraceEvent[]): Uint8Array {
  const flags = new Uint8Array(trace.length);
  const written = new Set<string>();
  for (let i = 0; i < trace.length; i++) {
    const ev = trace[i]!;
    if (ev.type !== 'effect') continue;
    if (written.has(ev.key)) flags[i] = 1;
    else written.add(ev.key);
  }
  return flags;
}
