/**
 * The analytic cross-check of `hbsim bench`: the standard checkpoint/restart model (Young 1974,
 * Daly 2006) adapted to heartbeats, for scenarios built like `examples/batch-statements.ts`.
 *
 * The activity processes N records of d ms each; after every k records (k = round(tau / d), at
 * least 1) it blocks for C ms and then heartbeats its offset, except after the last record. So
 * there are n = ceil(N / k) segments, n - 1 heartbeat calls, and a call every P = k d + C ms.
 * The worker running an attempt crashes as a Poisson process of rate lambda = 1 / MTBF.
 *
 * A crash is detected when the HEARTBEAT timeout fires, H after the last heartbeat that reached
 * the server (or after the attempt's start if none did, T2); the retry starts B_k later (R1, R2;
 * k counts the crashes so far); it resumes from the last details stored (H2) and redoes the work
 * since. Heartbeat details reach the server h = floor(L / 2) after the call (L: the RPC round
 * trip), and the completion report likewise. Adding up the attempts of any run, the work done
 * twice cancels against the detection delays, and
 *
 *     T = W + (n - 1) C + h + sum over crashes of (H + B_k + lag_k)
 *
 * with W = N d and lag_k the time from the heartbeat call whose details were the last to reach
 * the server in the crashed attempt to their arrival (h without throttling, h plus the time the
 * throttle held them with it; 0 if that attempt stored nothing). Hence
 *
 *     E[T] = W + (n - 1) C + h + H E[K] + sum_k B_k P(K >= k) + E[sum lag]
 *
 * where K is the number of crashes. Two ways to get E[K], P(K >= k) and the rest:
 *
 * - **Closed form** when every heartbeat call is sent at once (no throttling, or a throttle
 *   window that always closes before the next call: "throttle-idle"). Then each checkpoint is
 *   stored exactly once, and the tries of segment i are independent: the first (reached in the
 *   flow of an attempt) is exposed for a_i (s_i, plus h for the very first segment), a retry
 *   (starting from checkpoint i - 1) for s_i + h. The failures G_i of segment i are 0 with
 *   probability q_i = exp(-lambda a_i), else 1 + Geometric(r_i = exp(-lambda (s_i + h))), so
 *   E[G_i] = (1 - q_i) / r_i and K = sum G_i, whose distribution is a convolution.
 * - **Markov chain** over the last stored checkpoint when the throttle holds calls back (S1-S2):
 *   from a start at checkpoint j an attempt's sends and arrivals are deterministic (the first
 *   call goes out at once, then one send per throttle window with the latest call), so the
 *   crash time, exponential, picks the next state; expectations follow by backward induction
 *   over j (the self-loop of a crash before the first arrival is solved exactly).
 *
 * The result says whether it is exact for the scenario's settings and why not.
 */
import type { MeanMetrics } from './statistics.js';
import { parseDuration } from '../../src/duration.js';
import { HbsimConfigError } from '../../src/errors.js';
import { throttleIntervalMs } from '../../src/model/heartbeat-throttle.js';
import { backoffIntervalMs } from '../../src/model/retry.js';
import type { NormalizedRetryPolicy, ProfileName } from '../../src/model/types.js';
import type { NormalizedScenario } from '../../src/scenario.js';
import type { LatencyRange } from '../../sim/world.js';

/** Everything the model needs, in milliseconds. */
export interface CheckpointModelInput {
  readonly records: number;
  readonly recordTimeMs: number;
  /** Records between two heartbeats: round(heartbeatEvery / recordTime), at least 1. */
  readonly recordsPerHeartbeat: number;
  readonly checkpointCostMs: number;
  readonly heartbeatTimeoutMs: number;
  /** Mean time between crashes of the worker running an attempt; 0 = no crashes. */
  readonly mtbfMs: number;
  readonly profile: ProfileName;
  readonly retry: NormalizedRetryPolicy;
  /** The SDK throttle window (S1); 0 = none. */
  readonly throttleMs: number;
  /** Heartbeat and report RPC round trip, drawn uniformly per call. */
  readonly rpcLatency: LatencyRange;
  readonly workers: number;
  readonly restartDelayMs: number;
  readonly startToCloseTimeoutMs: number;
  readonly scheduleToCloseTimeoutMs: number;
}

/** The model's prediction for one benchmark point. Times in ms; `null` where undefined (no crashes). */
export interface CheckpointModelPrediction extends MeanMetrics {
  readonly applicable: true;
  /** How heartbeats reach the server: every call at once (`unthrottled`, `throttle-idle`) or one per throttle window (`throttled`). */
  readonly regime: 'unthrottled' | 'throttle-idle' | 'throttled';
  readonly method: 'closed form' | 'Markov chain';
  /** False when an assumption is approximated; `notes` says which. */
  readonly exact: boolean;
  readonly notes: readonly string[];
  readonly segments: number;
  readonly recordsPerHeartbeat: number;
  readonly completionTime: { readonly mean: number };
  /** E[T] term by term: W, (n - 1) C, h, H E[K], sum B_k P(K >= k), E[sum lag]. */
  readonly terms: { readonly work: number; readonly checkpoints: number; readonly completionLag: number; readonly detection: number; readonly backoff: number; readonly lag: number };
}

export type CheckpointModel = CheckpointModelPrediction | { readonly applicable: false; readonly reason: string };

const PARAMS = ['recordTime', 'heartbeatEvery'] as const;

/**
 * The model's input for `scenario` under crashes of mean `mtbfMs`, or why the model does not
 * apply (the scenario does not follow the reference scenario's conventions). A malformed
 * duration in `params.recordTime`, `params.heartbeatEvery` or `params.checkpointCost` throws
 * {@link HbsimConfigError} naming it.
 */
export function checkpointModelInput(scenario: NormalizedScenario, mtbfMs: number): { readonly input: CheckpointModelInput } | { readonly reason: string } {
  const p = scenario.params;
  const missing = PARAMS.filter((k) => p[k] === undefined);
  if (missing.length > 0) return { reason: `the scenario has no param ${missing.join(' or ')} (the model is for scenarios built like examples/batch-statements.ts)` };
  const recordTimeMs = parseDuration(p['recordTime'], 'params.recordTime');
  const heartbeatEveryMs = parseDuration(p['heartbeatEvery'], 'params.heartbeatEvery');
  const checkpointCostMs = p['checkpointCost'] === undefined ? 0 : parseDuration(p['checkpointCost'], 'params.checkpointCost');
  if (recordTimeMs <= 0) throw new HbsimConfigError('params.recordTime', p['recordTime'], 'a duration > 0');
  const l = scenario.latencies;
  if ([l.read, l.put, l.add, l.get].some((r) => r.min !== 0 || r.max !== 0)) return { reason: 'the world latencies of read, put, add and get are not all 0 (the model counts time in records of recordTime each)' };
  const o = scenario.options;
  if (o.heartbeatTimeoutMs <= 0) return { reason: 'no heartbeat timeout: a crash is only detected by the start-to-close timeout' };
  if (o.retry === undefined) return { reason: 'no retry policy: a crash ends the activity' };
  return {
    input: {
      records: scenario.records,
      recordTimeMs,
      recordsPerHeartbeat: Math.max(1, Math.round(heartbeatEveryMs / recordTimeMs)),
      checkpointCostMs,
      heartbeatTimeoutMs: o.heartbeatTimeoutMs,
      mtbfMs,
      profile: scenario.profile,
      retry: o.retry,
      throttleMs: throttleIntervalMs(scenario.profile, o.heartbeatTimeoutMs, scenario.worker),
      rpcLatency: scenario.rpcLatency,
      workers: scenario.workers,
      restartDelayMs: scenario.restartDelayMs,
      startToCloseTimeoutMs: o.startToCloseTimeoutMs,
      scheduleToCloseTimeoutMs: o.scheduleToCloseTimeoutMs,
    },
  };
}

// ---- small numeric helpers ----------------------------------------------------------------

/** E[X | X < len] for X ~ Exp(lambda). */
function truncatedMean(lambda: number, len: number): number {
  if (len <= 0) return 0;
  const x = lambda * len;
  if (x < 1e-6) return len / 2 - (lambda * len * len) / 12;
  return 1 / lambda - len / Math.expm1(x);
}

/** 1 + rho + ... + rho^(m-1) for rho = exp(-lambda step), without cancellation. */
function geometric(lambda: number, step: number, m: number): number {
  if (m <= 0) return 0;
  const x = lambda * step;
  if (x === 0) return m;
  return Math.expm1(-x * m) / Math.expm1(-x);
}

/** Convolution of two probability vectors, truncated to `size` entries. */
function convolve(a: Float64Array, b: Float64Array, size: number): Float64Array {
  const out = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    const ai = a[i]!;
    if (ai === 0) continue;
    for (let j = 0; i + j < size; j++) out[i + j]! += ai * b[j]!;
  }
  return out;
}

/** The distribution of the sum of `m` independent copies of `pmf`, truncated to `size` entries. */
function convolvePower(pmf: Float64Array, m: number, size: number): Float64Array {
  let result: Float64Array = new Float64Array(size);
  result[0] = 1;
  let base = pmf;
  let e = m;
  while (e > 0) {
    if (e & 1) result = convolve(result, base, size);
    e = Math.floor(e / 2);
    if (e > 0) base = convolve(base, base, size);
  }
  return result;
}

/** The backoffs B_1, B_2, ... up to the first that stays constant from there on. */
function backoffSchedule(profile: ProfileName, policy: NormalizedRetryPolicy): { readonly values: number[]; readonly exactTail: boolean } | undefined {
  const values: number[] = [];
  for (let k = 1; k <= 2000; k++) {
    const b = backoffIntervalMs(profile, policy, k);
    if (b === undefined) return undefined;
    values.push(b);
    if (policy.backoffCoefficient === 1 || (policy.maximumIntervalMs > 0 && b === policy.maximumIntervalMs)) return { values, exactTail: true };
  }
  return { values, exactTail: false };
}

/** Mean of floor(L / 2) for L uniform on the integers of [min, max] (or the constant). */
function meanHalf(r: LatencyRange): number {
  if (r.min === r.max) return Math.floor(r.min / 2);
  let sum = 0;
  for (let l = r.min; l <= r.max; l++) sum += Math.floor(l / 2);
  return sum / (r.max - r.min + 1);
}

// ---- the reference scenario's geometry ------------------------------------------------------

/** Where the records' puts fall, relative to the start of an attempt at a checkpoint. */
export interface Geometry {
  readonly lambda: number;
  /** Record time. */
  readonly d: number;
  readonly k: number;
  /** Call period: k d + C. */
  readonly P: number;
  /** Records in the last segment. */
  readonly kLast: number;
}

/**
 * Puts in (a, b] of an attempt with `R` full segments before its last one: their count, and the
 * sum of exp(-lambda (t - a)) over their times t. Segment q (0-based) starts at q P and puts its
 * records at q P + d, q P + 2 d, ...
 */
function putsIn(g: Geometry, R: number, a: number, b: number): { readonly count: number; readonly sumExp: number } {
  if (b <= a) return { count: 0, sumExp: 0 };
  const { lambda, d, k, P } = g;
  const recordsOf = (q: number): number => (q < R ? k : q === R ? g.kLast : 0);
  const qa = Math.max(0, Math.floor(a / P));
  const qb = Math.min(R, Math.floor(b / P));
  let count = 0;
  let sumExp = 0;
  const partial = (q: number): void => {
    const kq = recordsOf(q);
    const base = q * P;
    const lo = a >= base ? Math.floor((a - base) / d) + 1 : 1;
    const hi = Math.min(kq, Math.floor((b - base) / d));
    if (hi < lo) return;
    count += hi - lo + 1;
    sumExp += Math.exp(-lambda * (base + lo * d - a)) * geometric(lambda, d, hi - lo + 1);
  };
  if (qa > R) return { count: 0, sumExp: 0 };
  partial(qa);
  if (qb > qa) {
    const full = qb - qa - 1;
    if (full > 0) {
      count += full * k;
      sumExp += Math.exp(-lambda * ((qa + 1) * P + d - a)) * geometric(lambda, P, full) * geometric(lambda, d, k);
    }
    partial(qb);
  }
  return { count, sumExp };
}

/**
 * E[puts in (c, x]] for a crash time x ~ a + Exp(lambda) conditioned on x < b, with c <= a:
 * the puts up to a all happened; one in (a, b) at t happened with probability
 * (exp(-lambda (t - a)) - exp(-lambda (b - a))) / (1 - exp(-lambda (b - a))).
 */
function expectedPutsSince(g: Geometry, R: number, c: number, a: number, b: number): number {
  const before = putsIn(g, R, c, a).count;
  const len = b - a;
  if (len <= 0) return before;
  const { count, sumExp } = putsIn(g, R, a, b);
  const tail = Math.exp(-g.lambda * len);
  const den = -Math.expm1(-g.lambda * len);
  return before + (sumExp - count * tail) / den;
}

// ---- the model ------------------------------------------------------------------------------

/** Predict the benchmark figures of one point. */
export function checkpointModel(input: CheckpointModelInput): CheckpointModel {
  const N = input.records;
  const d = input.recordTimeMs;
  const k = input.recordsPerHeartbeat;
  const C = input.checkpointCostMs;
  const H = input.heartbeatTimeoutMs;
  if (N === 0) return { applicable: false, reason: 'no records' };
  const n = Math.ceil(N / k);
  const kLast = N - (n - 1) * k;
  const P = k * d + C;
  const sLast = kLast * d;
  const W = N * d;
  const notes: string[] = [];
  let exact = true;
  const approximate = (note: string): void => {
    exact = false;
    notes.push(note);
  };
  const L = input.rpcLatency;
  const h = meanHalf(L);
  const Lmean = (L.min + L.max) / 2;
  if (L.min !== L.max) approximate(`the RPC latency is drawn per call (${L.min}-${L.max} ms): the model uses its mean (details arrive h = ${+h.toFixed(3)} ms after the call); exact for a constant latency`);
  const lambda = input.mtbfMs > 0 ? 1 / input.mtbfMs : 0;
  const backoffs = backoffSchedule(input.profile, input.retry);
  if (backoffs === undefined) return { applicable: false, reason: 'the retry backoff overflows with no maximum interval: attempts stop' };
  if (!backoffs.exactTail) approximate('the backoff keeps growing past 2000 retries: the model takes the 2000th for every later one');
  // R4: temporal bounds retries by schedule-to-close, cadence by the expiration interval (its
  // schedule-to-close restarts at each attempt, T2, and limits an attempt like start-to-close).
  const retryBound = input.profile === 'temporal' ? input.scheduleToCloseTimeoutMs : input.retry.expirationIntervalMs;
  const attemptLimit = Math.min(...[input.startToCloseTimeoutMs, input.profile === 'cadence' ? input.scheduleToCloseTimeoutMs : 0].filter((t) => t > 0), Infinity);

  // How heartbeat calls reach the server (S1, S2). A send opens a window of Delta; calls inside
  // it are held (latest wins) and sent when it ends. temporal: the window ends at
  // max(send + w, response), and even with w = 0 one RPC at most is in flight; cadence: a full w
  // after the response, and w = 0 sends every call at once.
  const w = input.throttleMs;
  const windowOf = (l: number): number => (input.profile === 'temporal' ? Math.max(w, l) : w > 0 ? l + w : 0);
  const deltaMin = windowOf(L.min);
  const deltaMax = windowOf(L.max);
  const delta = input.profile === 'temporal' ? (L.min === L.max ? deltaMin : meanOfWindow(L, w)) : w > 0 ? Lmean + w : 0;
  // A call made exactly when a window ends: the window's end runs first (it was scheduled
  // earlier), so the call is held for the next window, unless the checkpoint's sleep was
  // scheduled before the window's end was (C > the time from the response to the window end).
  const callFirstAtTie = C > 0 && (input.profile === 'temporal' ? delta - Lmean < C : w < C);
  let regime: CheckpointModelPrediction['regime'];
  if (n === 1 || P > deltaMax || (P === deltaMax && deltaMin === deltaMax && !callFirstAtTie)) regime = w > 0 ? 'throttle-idle' : 'unthrottled';
  else {
    regime = 'throttled';
    if (P >= deltaMin) approximate(`the call period ${P} ms falls within the range of throttle windows (${deltaMin}-${deltaMax} ms): the model takes every window as ${delta} ms`);
    else if (deltaMin !== deltaMax) approximate(`the throttle window depends on the RPC latency (${deltaMin}-${deltaMax} ms): the model uses its mean`);
  }
  const terms = { work: W, checkpoints: (n - 1) * C, completionLag: h };
  const base = W + (n - 1) * C + h;

  // Validity: a healthy attempt must never time out.
  const maxGap = n === 1 ? sLast + h : regime === 'throttled' ? Math.max(P + h, delta, sLast + h) : Math.max(P, sLast) + h;
  if (maxGap >= H) return { applicable: false, reason: `up to ${maxGap} ms pass between two heartbeats reaching the server, not less than the heartbeat timeout (${H} ms): healthy attempts time out` };
  if (base + Lmean >= attemptLimit) return { applicable: false, reason: `an attempt takes ${base} ms, not less than its timeout (${attemptLimit} ms)` };
  // A crashed worker restarts after restartDelay; with one worker the retry may wait for it.
  const B1 = backoffs.values[0]!;
  if (input.workers === 1 && lambda > 0 && input.restartDelayMs + maxGap > H + B1) {
    approximate(`with one worker, a restart (${input.restartDelayMs} ms) can hold back a retry (when the crash falls more than ${H + B1 - input.restartDelayMs} ms after the last stored heartbeat): the model ignores that delay (use world.workers >= 2 or a shorter restartDelay)`);
  }

  if (lambda === 0) {
    const calls = n - 1;
    return {
      applicable: true, regime, method: 'closed form', exact, notes, segments: n, recordsPerHeartbeat: k,
      completionTime: { mean: base }, attempts: { mean: 1 }, crashes: { mean: 0 }, redoneRecords: { mean: 0, perCrash: null },
      heartbeatCalls: { mean: calls }, heartbeatsSent: { mean: regime === 'throttled' ? throttledSendsWithoutCrashes(n, P, sLast, delta, callFirstAtTie) : calls },
      detailsStored: { mean: regime === 'throttled' ? throttledSendsWithoutCrashes(n, P, sLast, delta, callFirstAtTie) : calls },
      detectionDelay: { mean: null },
      terms: { ...terms, detection: 0, backoff: 0, lag: 0 },
    };
  }

  const J = Math.max(0, backoffs.values.length - 1);
  const g: Geometry = { lambda, d, k, P, kLast };
  // The distribution of K: for the backoffs B_1 .. B_J, and up to maximumAttempts - 1 crashes.
  const maxAttempts = input.retry.maximumAttempts;
  const limit = regime === 'throttled' ? 64 : 2000;
  const size = Math.min(limit, Math.max(J, maxAttempts));
  const r = regime === 'throttled' ? markovChain(g, n, sLast, h, delta, callFirstAtTie, size) : closedForm(g, n, C, sLast, h, size);
  if (J > limit) approximate(`the backoff grows over more than ${limit} retries: the model takes the ${limit + 1}th for every later one`);
  if (!Number.isFinite(r.crashes)) return { applicable: false, reason: 'crashes are so frequent that an attempt almost never stores a heartbeat: the expected completion time is astronomically large' };
  if (maxAttempts > 0) {
    // A run fails when it would need more than maximumAttempts attempts: P(K >= maximumAttempts).
    let fail = NaN;
    if (maxAttempts <= r.pmf.length) {
      fail = 1;
      for (let kk = 0; kk < maxAttempts; kk++) fail -= r.pmf[kk]!;
    }
    if (fail < 1e-9) notes.push(`retry.maximumAttempts ${maxAttempts}: a run runs out of attempts with probability ${fail < 1e-12 ? '< 1e-12' : fail.toExponential(1)}, which the model neglects`);
    else approximate(`retry.maximumAttempts ${maxAttempts}: ${Number.isNaN(fail) ? 'a run may run out of attempts' : `a run runs out of attempts with probability ${fail.toPrecision(2)}`}; the model assumes unlimited attempts (the simulation's completion times are over the runs that completed)`);
  }

  // sum_k B_k P(K >= k): B_1 .. B_J from the distribution of K, the constant tail from E[K].
  const used = Math.min(J, size);
  let backoff = 0;
  let atLeast = 1;
  let tailMass = 0;
  for (let kk = 1; kk <= used; kk++) {
    atLeast -= r.pmf[kk - 1]!;
    backoff += backoffs.values[kk - 1]! * atLeast;
    tailMass += atLeast;
  }
  backoff += backoffs.values[used]! * Math.max(0, r.crashes - tailMass);
  const detection = H * r.crashes;
  const mean = base + detection + backoff + r.lag;
  if (retryBound > 0) {
    // Markov's inequality: P(T > bound) <= E[T] / bound.
    if (retryBound >= 1e6 * mean) notes.push(`the retries are bounded at ${retryBound} ms (R4): a run reaches the bound with probability <= ${(mean / retryBound).toExponential(1)}, which the model neglects`);
    else approximate(`the retries are bounded at ${retryBound} ms (R4): the model assumes no bound`);
  }
  return {
    applicable: true,
    regime,
    method: regime === 'throttled' ? 'Markov chain' : 'closed form',
    exact,
    notes,
    segments: n,
    recordsPerHeartbeat: k,
    completionTime: { mean },
    attempts: { mean: 1 + r.crashes },
    crashes: { mean: r.crashes },
    redoneRecords: { mean: r.redone, perCrash: r.crashes > 0 ? r.redone / r.crashes : null },
    heartbeatCalls: { mean: r.calls },
    heartbeatsSent: { mean: r.sent },
    detailsStored: { mean: r.stored },
    detectionDelay: { mean: r.crashes > 0 ? H - r.sinceLastStored / r.crashes : null },
    terms: { ...terms, detection, backoff, lag: r.lag },
  };
}

/** E[max(w, L)] for L uniform on the integers of [min, max]. */
function meanOfWindow(r: LatencyRange, w: number): number {
  let sum = 0;
  for (let l = r.min; l <= r.max; l++) sum += Math.max(w, l);
  return sum / (r.max - r.min + 1);
}

/** Expectations over one run (K crashes in all). */
export interface ChainResult {
  /** E[K]. */
  readonly crashes: number;
  /** P(K = 0), P(K = 1), ... (truncated). */
  readonly pmf: Float64Array;
  /** E[sum over crashes of lag]. */
  readonly lag: number;
  /** E[sum over crashes of the time from the last stored heartbeat (or the attempt's start) to the crash]. */
  readonly sinceLastStored: number;
  readonly redone: number;
  readonly calls: number;
  readonly sent: number;
  readonly stored: number;
}

/**
 * Every call sent at once: segment i's tries are independent. Segment i (1-based) is s_i = k d + C
 * long (the last one kLast d); its first try is exposed from the arrival of checkpoint i - 1 to
 * that of checkpoint i (s_i; for i = 1 from the attempt's start, s_1 + h), a retry from the
 * attempt's start (s_i + h). In the work timeline of the segment (0 = its first record starts),
 * the first try covers [h, s_i + h) (i >= 2) or [0, s_1 + h), a retry [0, s_i + h).
 */
export function closedForm(g: Geometry, n: number, C: number, sLast: number, h: number, J: number): ChainResult {
  const { lambda, d, k } = g;
  const size = Math.max(1, J);
  interface Seg { readonly eg: number; readonly pmf: Float64Array; readonly lagCrashes: number; readonly since: number; readonly redone: number; readonly calls: number }
  const segment = (i: number): Seg => {
    const last = i === n;
    const s = last ? sLast : k * d + C;
    const y0 = i === 1 ? 0 : h;
    const a = i === 1 ? s + h : s;
    const e = s + h;
    const fail1 = -Math.expm1(-lambda * a);
    const rRetry = Math.exp(-lambda * e);
    const eg = fail1 / rRetry;
    const retryFails = eg - fail1;
    const pmf = new Float64Array(size);
    pmf[0] = 1 - fail1;
    for (let m = 1; m < size; m++) pmf[m] = fail1 * (1 - rRetry) ** (m - 1) * rRetry;
    // Records put before a crash: this segment's at p d, then (within h after the call) the next one's.
    const kThis = last ? g.kLast : k;
    const kNext = i === n ? 0 : i === n - 1 ? g.kLast : k;
    const puts = (from: number, len: number): number =>
      passed(lambda, d, d, kThis, from, len) + (kNext > 0 ? passed(lambda, s + d, d, kNext, from, len) : 0);
    return {
      eg,
      pmf,
      lagCrashes: i >= 2 ? fail1 : 0,
      since: fail1 * truncatedMean(lambda, a) + retryFails * truncatedMean(lambda, e),
      redone: fail1 * puts(y0, a) + retryFails * puts(0, e),
      calls: last ? 0 : Math.exp(-lambda * (s - y0)) + eg * Math.exp(-lambda * s),
    };
  };
  // Segments 2 .. n-2 are alike; 1, n-1 and n may differ.
  const groups: [Seg, number][] = [];
  if (n <= 6) for (let i = 1; i <= n; i++) groups.push([segment(i), 1]);
  else groups.push([segment(1), 1], [segment(2), n - 3], [segment(n - 1), 1], [segment(n), 1]);
  let crashes = 0;
  let lagCrashes = 0;
  let since = 0;
  let redone = 0;
  let calls = 0;
  let pmf: Float64Array = new Float64Array(size);
  pmf[0] = 1;
  for (const [seg, times] of groups) {
    crashes += seg.eg * times;
    lagCrashes += seg.lagCrashes * times;
    since += seg.since * times;
    redone += seg.redone * times;
    calls += seg.calls * times;
    if (J > 0) pmf = convolve(pmf, times === 1 ? seg.pmf : convolvePower(seg.pmf, times, size), size);
  }
  return { crashes, pmf: J > 0 ? pmf : new Float64Array(0), lag: h * lagCrashes, sinceLastStored: since, redone, calls, sent: calls, stored: n - 1 };
}

/**
 * Sum over p = 0 .. count-1 of P(Y >= t0 + p step), Y = y0 + X for X ~ Exp(lambda) conditioned
 * on X < len: 1 up to y0, then (exp(-lambda (t - y0)) - exp(-lambda len)) / (1 - exp(-lambda len)).
 */
function passed(lambda: number, t0: number, step: number, count: number, y0: number, len: number): number {
  if (count <= 0 || len <= 0) return 0;
  const clamp = (x: number): number => Math.min(count, Math.max(0, x));
  const certain = clamp(Math.floor((y0 - t0) / step) + 1);
  const below = clamp(Math.ceil((y0 + len - t0) / step));
  const m = below - certain;
  if (m <= 0) return certain;
  const tail = Math.exp(-lambda * len);
  const den = -Math.expm1(-lambda * len);
  const sumExp = Math.exp(-lambda * (t0 + certain * step - y0)) * geometric(lambda, step, m);
  return certain + (sumExp - m * tail) / den;
}

/**
 * Sends of an attempt that starts at checkpoint j with `R` calls ahead of it (relative times):
 * the first call goes out at once; a send opens a window of `delta`; at its end the latest
 * call made strictly before it (or at it, `callFirstAtTie`) goes out if newer than the last
 * sent, else the window closes and the next call goes out when made. Nothing is sent after the
 * activity returns at `settle` (S4: on success pending details are dropped). Stops past `cut`.
 */
function sendsOf(R: number, P: number, delta: number, callFirstAtTie: boolean, settle: number, cut: number, out: { t: number[]; idx: number[] }): void {
  out.t.length = 0;
  out.idx.length = 0;
  let last = 0;
  let windowBase = NaN;
  let windows = 0;
  for (;;) {
    if (!Number.isNaN(windowBase)) {
      const end = windowBase + windows * delta;
      if (end > settle || end > cut) return;
      const q = Math.floor(end / P);
      const newest = Math.min(R, q * P === end && !callFirstAtTie ? q - 1 : q);
      if (newest > last) {
        out.t.push(end);
        out.idx.push(newest);
        last = newest;
        windows++;
        continue;
      }
      windowBase = NaN;
    }
    if (last >= R) return;
    const c = (last + 1) * P;
    if (c > cut) return;
    last++;
    out.t.push(c);
    out.idx.push(last);
    if (delta > 0) {
      windowBase = c;
      windows = 1;
    }
  }
}

/** Heartbeats sent (and stored) by a run without crashes, throttled. */
function throttledSendsWithoutCrashes(n: number, P: number, sLast: number, delta: number, callFirstAtTie: boolean): number {
  const out = { t: [] as number[], idx: [] as number[] };
  sendsOf(n - 1, P, delta, callFirstAtTie, (n - 1) * P + sLast, Infinity, out);
  return out.t.length;
}

/**
 * Backward induction over j, the checkpoint an attempt starts from (0 .. n-1). From j the
 * attempt's sends t_m (of call j + idx_m) arrive at tau_m = t_m + h, and it completes at
 * D_j = (n-1-j) P + sLast + h. A crash in [tau_m, tau_m+1) (tau_0 = 0, tau_M+1 = D_j), which has
 * probability exp(-lambda tau_m) - exp(-lambda tau_m+1), leads to an attempt from j + idx_m
 * (from j itself for m = 0: that self-loop is divided out).
 */
export function markovChain(g: Geometry, n: number, sLast: number, h: number, delta: number, callFirstAtTie: boolean, J: number): ChainResult {
  const { lambda, P } = g;
  const cut = 46 / lambda; // exp(-46) < 1e-19: later sends do not matter
  const EK = new Float64Array(n);
  const ELag = new Float64Array(n);
  const EU = new Float64Array(n);
  const ERedone = new Float64Array(n);
  const ECalls = new Float64Array(n);
  const ESent = new Float64Array(n);
  const EStored = new Float64Array(n);
  const pmf = new Float64Array(n * Math.max(J, 1));
  const sends = { t: [] as number[], idx: [] as number[] };
  const p: number[] = [];
  for (let j = n - 1; j >= 0; j--) {
    const R = n - 1 - j;
    const settle = R * P + sLast;
    const D = settle + h;
    sendsOf(R, P, delta, callFirstAtTie, settle, cut, sends);
    const M = sends.t.length;
    // Interval m is [tau_m, tau_m+1): probability p[m], expectations of what the crash leaves.
    let k = 0;
    let lag = 0;
    let u = 0;
    let redone = 0;
    let calls = geometric(lambda, P, R) * Math.exp(-lambda * P);
    let sent = 0;
    let stored = 0;
    p.length = 0;
    let prevTau = 0;
    let prevSurvive = 1;
    for (let m = 0; m <= M; m++) {
      const tau = m < M ? sends.t[m]! + h : D;
      const len = tau - prevTau;
      const pm = prevSurvive * -Math.expm1(-lambda * len);
      p.push(pm);
      // The interval before arrival m: it starts at arrival m-1 (or the attempt's start).
      const from = m === 0 ? 0 : sends.t[m - 1]! + h;
      const committedAt = m === 0 ? 0 : sends.idx[m - 1]! * P;
      k += pm;
      u += pm * truncatedMean(lambda, len);
      redone += pm * expectedPutsSince(g, R, committedAt, from, tau);
      if (m > 0) {
        const next = j + sends.idx[m - 1]!;
        k += pm * EK[next]!;
        lag += pm * (from - committedAt + ELag[next]!);
        u += pm * EU[next]!;
        redone += pm * ERedone[next]!;
        calls += pm * ECalls[next]!;
        sent += pm * ESent[next]!;
        stored += pm * EStored[next]!;
      }
      if (m < M) {
        sent += Math.exp(-lambda * sends.t[m]!);
        stored += prevSurvive * Math.exp(-lambda * len);
      }
      prevSurvive *= Math.exp(-lambda * len);
      prevTau = tau;
    }
    const done = prevSurvive;
    const stay = p[0]!;
    const norm = Math.exp(-lambda * (M > 0 ? sends.t[0]! + h : D)); // 1 - stay, without cancellation
    EK[j] = k / norm;
    ELag[j] = lag / norm;
    EU[j] = u / norm;
    ERedone[j] = redone / norm;
    ECalls[j] = calls / norm;
    ESent[j] = sent / norm;
    EStored[j] = stored / norm;
    if (J > 0) {
      const row = j * J;
      pmf[row] = done;
      for (let kk = 1; kk < J; kk++) {
        let v = stay * pmf[row + kk - 1]!;
        for (let m = 1; m <= M; m++) v += p[m]! * pmf[(j + sends.idx[m - 1]!) * J + kk - 1]!;
        pmf[row + kk] = v;
      }
    }
  }
  return { crashes: EK[0]!, pmf: J > 0 ? pmf.slice(0, J) : new Float64Array(0), lag: ELag[0]!, sinceLastStored: EU[0]!, redone: ERedone[0]!, calls: ECalls[0]!, sent: ESent[0]!, stored: EStored[0]! };
}
