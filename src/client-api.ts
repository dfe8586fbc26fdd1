/**
 * The simulated Temporal client an activity gets from `Context.current().client` /
 * `getClient()`, and the external system of a scenario gets as its `client` (X6, X7). Only the
 * async-completion operations of `@temporalio/client` 1.24's `AsyncCompletionClient` are
 * simulated: each is an RPC to the simulated server with its latency; anything else on the
 * client throws `hbsim: client.X is not simulated` and ends the run with the outcome
 * `unsimulated`, which no property accepts.
 */

/** `@temporalio/client`'s `FullActivityId`: names the current attempt of an activity. */
export interface FullActivityId {
  readonly workflowId?: string;
  readonly runId?: string;
  readonly activityId: string;
}

/**
 * `client.activity`: as `AsyncCompletionClient` 1.24. A call for an attempt that is no longer
 * current (or an activity that is closed, or not started) rejects with an error whose `name` is
 * `ActivityNotFoundError` (`instanceof` the client's class works); `heartbeat` rejects with
 * `ActivityCancelledError` when the workflow asked to cancel; other refusals with
 * `ActivityCompletionError`.
 */
export interface SimulatedActivityClient {
  complete(taskTokenOrFullActivityId: Uint8Array | FullActivityId, result?: unknown): Promise<void>;
  fail(taskTokenOrFullActivityId: Uint8Array | FullActivityId, err: unknown): Promise<void>;
  reportCancellation(taskTokenOrFullActivityId: Uint8Array | FullActivityId, details?: unknown): Promise<void>;
  heartbeat(taskTokenOrFullActivityId: Uint8Array | FullActivityId, details?: unknown): Promise<void>;
}

/** The simulated client: `client.activity` only. */
export interface SimulatedClient {
  readonly activity: SimulatedActivityClient;
}
