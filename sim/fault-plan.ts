/**
 * A fault plan is data: a list of faults, printable and serialisable, applied to one run.
 *
 * - `crash` kills the worker process running the current attempt (process death: pending
 *   awaits never resume, timers never fire, throttled details are lost, nothing more reaches
 *   the server), at a virtual time, right after the n-th sink effect was applied (before the
 *   call returns), or right after the n-th heartbeat() call.
 * - `cancel` is a cancel request from the workflow at a virtual time.
 */
export type Fault =
  | { readonly kind: 'crash'; readonly at: number }
  | { readonly kind: 'crash'; readonly afterEffect: number }
  | { readonly kind: 'crash'; readonly afterHeartbeatCall: number }
  | { readonly kind: 'cancel'; readonly at: number };

export type FaultPlan = readonly Fault[];

/** A one-line description, e.g. `crash at 00:01:30.000`. */
export function describeFault(fault: Fault, formatTime: (ms: number) => string): string {
  if (fault.kind === 'cancel') return `cancel request at ${formatTime(fault.at)}`;
  if ('at' in fault) return `crash at ${formatTime(fault.at)}`;
  if ('afterEffect' in fault) return `crash right after sink effect #${fault.afterEffect}`;
  return `crash right after heartbeat() call #${fault.afterHeartbeatCall}`;
}
