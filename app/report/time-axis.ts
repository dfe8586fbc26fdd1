/**
 * The virtual-time axis of the timeline: a linear scale from [0, end] ms to x pixels, "nice"
 * tick steps, and short tick labels (`250ms`, `12.5s`, `2m 30s`, `1h 5m`).
 */

export interface TimeScale {
  readonly endMs: number;
  readonly x0: number;
  readonly x1: number;
  /** x of virtual time `t` (clamped to the axis), rounded to 0.1 px. */
  x(t: number): number;
}

export function timeScale(endMs: number, x0: number, x1: number): TimeScale {
  const end = Math.max(endMs, 1);
  const k = (x1 - x0) / end;
  return {
    endMs: end,
    x0,
    x1,
    x: (t) => Math.round((x0 + Math.min(Math.max(t, 0), end) * k) * 10) / 10,
  };
}

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const NICE_STEPS = [
  1, 2, 5, 10, 20, 50, 100, 200, 500,
  S, 2 * S, 5 * S, 10 * S, 15 * S, 30 * S,
  M, 2 * M, 5 * M, 10 * M, 15 * M, 30 * M,
  H, 2 * H, 3 * H, 6 * H, 12 * H, 24 * H,
];

/** Tick times from 0 to `endMs`, at most about `maxTicks` of them. */
export function ticks(endMs: number, maxTicks = 10): number[] {
  const end = Math.max(endMs, 1);
  let step = NICE_STEPS.find((s) => end / s <= maxTicks);
  if (step === undefined) step = 24 * H * Math.ceil(end / (24 * H) / maxTicks);
  const out: number[] = [];
  for (let t = 0; t <= end; t += step) out.push(t);
  return out;
}

/** A short label for a time or a duration: `0`, `250ms`, `12.5s`, `2m 30s`, `1h 5m`. */
export function shortTime(ms: number): string {
  if (ms === 0) return '0';
  if (ms < S) return `${trim(ms)}ms`;
  if (ms < M) return `${trim(ms / S)}s`;
  if (ms < H) {
    const m = Math.floor(ms / M);
    const s = (ms - m * M) / S;
    return s === 0 ? `${m}m` : `${m}m ${trim(s)}s`;
  }
  const h = Math.floor(ms / H);
  const m = Math.floor((ms - h * H) / M);
  return m === 0 ? `${h}h` : `${h}h ${m}m`;
}

function trim(n: number): string {
  return String(Math.round(n * 1000) / 1000);
}
