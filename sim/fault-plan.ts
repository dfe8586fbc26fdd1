/**
 * A fault plan is data: a list of faults, printable, serialisable and shrinkable, applied to one
 * run. Faults are keyed by virtual time or by the index of an event (the n-th sink effect, the
 * n-th heartbeat call, the n-th world call), so that narrow windows (between a heartbeat reaching
 * the server and the next effect) are hit on purpose, not by luck.
 *
 * Fault model, per kind:
 * - `crash`: process death of the worker running the current attempt (pending awaits never
 *   resume, its timers never fire, throttled details are lost, nothing more reaches the server;
 *   it restarts after `world.restartDelay`, calling the activity factory again).
 * - `heartbeatLost` / `heartbeatDelayed`: the n-th heartbeat RPC never reaches the server (the
 *   SDK only logs the error, S6) or reaches it late.
 * - `partition`: the worker running the current attempt cannot reach the server for a while; it
 *   keeps running and writing to the world (a zombie once the server times it out, C5); its
 *   reports are retried until the partition heals.
 * - `transient` / `slowCall`: the n-th world call throws a TransientError (no effect), or takes
 *   longer.
 * - `shutdown`: worker shutdown: the attempt is cancelled with WORKER_SHUTDOWN, the process exits
 *   after the grace period.
 * - `pause`: the event loop of the worker running the current attempt freezes for `durationMs`
 *   (a long GC, a blocked event loop, SIGSTOP): none of its code, timers, heartbeats or RPC
 *   responses run, then it resumes where it was. Requests already on the wire arrive on time. If
 *   the server timed the attempt out meanwhile, it resumes as a zombie (C5).
 * - `cancel`: a cancel request from the workflow. `noWorker`: no worker polls for a while.
 * - `poissonCrashes`: random process deaths, as for `crash`, of the worker running an attempt:
 *   each attempt, when it starts, draws its crash time as start + Exp(mean `mtbfMs`) from a
 *   stream of its own (forked from the seed), cancelled when the attempt's run finishes. Being
 *   memoryless, this is a Poisson process of rate 1/mtbf over the time an attempt executes
 *   (`hbsim bench --mtbf`). `mtbfMs` 0: no crashes.
 * - `externalCrash`: the scenario's external system (the one that finishes async-completed
 *   work, X6) dies: the jobs it is working on are lost; it restarts after its restart delay.
 * - `externalDelayed`: the n-th job submitted to the external system reaches it late.
 */
export type Fault =
  | { readonly kind: 'crash'; readonly at: number }
  | { readonly kind: 'crash'; readonly beforeEffect: number }
  | { readonly kind: 'crash'; readonly afterEffect: number }
  | { readonly kind: 'crash'; readonly afterHeartbeatCall: number }
  | { readonly kind: 'crash'; readonly afterHeartbeatStored: number }
  | { readonly kind: 'crash'; readonly whilePending: number }
  | { readonly kind: 'heartbeatLost'; readonly nth: number }
  | { readonly kind: 'heartbeatDelayed'; readonly nth: number; readonly byMs: number }
  | { readonly kind: 'partition'; readonly at: number; readonly durationMs: number }
  | { readonly kind: 'pause'; readonly at: number; readonly durationMs: number }
  | { readonly kind: 'transient'; readonly call: number }
  | { readonly kind: 'slowCall'; readonly call: number; readonly byMs: number }
  | { readonly kind: 'shutdown'; readonly at: number; readonly graceMs: number }
  | { readonly kind: 'cancel'; readonly at: number }
  | { readonly kind: 'noWorker'; readonly at: number; readonly durationMs: number }
  | { readonly kind: 'poissonCrashes'; readonly mtbfMs: number }
  | { readonly kind: 'externalCrash'; readonly at: number }
  | { readonly kind: 'externalDelayed'; readonly nth: number; readonly byMs: number };

export type FaultPlan = readonly Fault[];
export type FaultKind = Fault['kind'];

/** A one-line description, e.g. `crash at 00:01:30.000`. */
export function describeFault(fault: Fault, formatTime: (ms: number) => string): string {
  switch (fault.kind) {
    case 'crash':
      if ('at' in fault) return `crash at ${formatTime(fault.at)}`;
      if ('beforeEffect' in fault) return `crash while sink effect #${fault.beforeEffect} is in flight (before it applies)`;
      if ('afterEffect' in fault) return `crash right after sink effect #${fault.afterEffect} applied (before the call returns)`;
      if ('afterHeartbeatCall' in fault) return `crash right after heartbeat() call #${fault.afterHeartbeatCall}`;
      if ('afterHeartbeatStored' in fault) return `crash right after heartbeat #${fault.afterHeartbeatStored} reached the server`;
      return `crash while held heartbeat call #${fault.whilePending} waits for the throttle window`;
    case 'heartbeatLost': return `heartbeat RPC #${fault.nth} lost`;
    case 'heartbeatDelayed': return `heartbeat RPC #${fault.nth} delayed by ${fault.byMs} ms`;
    case 'partition': return `worker partitioned from the server at ${formatTime(fault.at)} for ${fault.durationMs} ms`;
    case 'pause': return `worker paused (event loop frozen) at ${formatTime(fault.at)} for ${fault.durationMs} ms`;
    case 'transient': return `world call #${fault.call} fails with a transient error`;
    case 'slowCall': return `world call #${fault.call} slowed by ${fault.byMs} ms`;
    case 'shutdown': return `worker shutdown at ${formatTime(fault.at)} (grace ${fault.graceMs} ms)`;
    case 'cancel': return `cancel request at ${formatTime(fault.at)}`;
    case 'noWorker': return `no worker polls from ${formatTime(fault.at)} for ${fault.durationMs} ms`;
    case 'externalCrash': return `crash of the external system at ${formatTime(fault.at)}`;
    case 'externalDelayed': return `job #${fault.nth} reaches the external system ${fault.byMs} ms late`;
    case 'poissonCrashes': return `worker crashes as a Poisson process over each attempt's execution, mean time between crashes ${fault.mtbfMs} ms`;
  }
}
