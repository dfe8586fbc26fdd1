/**
 * hbsim: deterministic simulation and testing of heartbeating Temporal/Cadence activities.
 *
 * @packageDocumentation
 */
export { defineScenario, normalizeScenario } from './scenario.js';
export type { Scenario, NativeScenario, TemporalScenario, ScenarioBase, NormalizedScenario, WorldOptions, LatencySpec, ActivityFactory } from './scenario.js';
export { simulate } from '../sim/simulate.js';
export type { SimulateOptions, SimulationResult, SimulationOutcome, SimulationCounts, AttemptSummary } from '../sim/simulation.js';
export type { Fault, FaultPlan } from '../sim/fault-plan.js';
export { describeFault } from '../sim/fault-plan.js';
export { formatEvent, formatTime } from '../sim/trace.js';
export type { TraceEvent, TraceEventType } from '../sim/trace.js';
export type { World, SourceRecord, AddOptions } from './world-api.js';
export type { PgPool, PgPoolClient, PgQueryable, PgQueryConfig, PgQueryResult, PgTransientFault, DatabaseOptions, DatabaseSnapshot, TableSnapshot } from './postgres-api.js';
export type { HttpRequest, HttpResponse, ServiceOptions } from './service-api.js';
export { ActivityCancelledError } from './context.js';
export type { ActivityContext, ActivityInfo, NativeActivity, CancellationReason } from './context.js';
export { ActivityFactoryError, HbsimConfigError, TransientError, isTransientError } from './errors.js';
export { parseDuration, formatDuration } from './duration.js';
export type { ActivityOptions, RetryOptions, WorkerOptions, Duration } from './options.js';
export type { Outcome, Failure, Payload, ProfileName, TimeoutType } from './model/types.js';
export { toMs } from './to-ms.js';
export { runCheck, randomSeed } from '../properties/check.js';
export type { CheckOptions, CheckReport, PropertyVerdict } from '../properties/check.js';
export { PROPERTY_NAMES } from '../properties/types.js';
export type { PropertyName, Violation } from '../properties/types.js';
export { runBench, prepareBench } from '../app/bench/runner.js';
export type { BenchSettings, BenchResult, BenchPoint, PointRunner, RunMetrics } from '../app/bench/runner.js';
export { checkpointModel, checkpointModelInput } from '../app/bench/model.js';
export type { CheckpointModel, CheckpointModelInput, CheckpointModelPrediction } from '../app/bench/model.js';
export { parseParam, parseSweep } from '../app/bench/params.js';
export type { ParamSetting, ParamValue, Sweep } from '../app/bench/params.js';
