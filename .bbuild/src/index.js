/**
 * hbsim: deterministic simulation and testing of heartbeating Temporal/Cadence activities.
 *
 * @packageDocumentation
 */
export { defineScenario, normalizeScenario } from './scenario.js';
export { simulate } from './simulate.js';
export { describeFault } from '../sim/fault-plan.js';
export { formatEvent, formatTime } from '../sim/trace.js';
export { ActivityCancelledError } from './context.js';
export { HbsimConfigError, TransientError, isTransientError } from './errors.js';
export { parseDuration, formatDuration } from './duration.js';
export { toMs } from './to-ms.js';
