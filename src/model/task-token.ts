/**
 * Task tokens: what a worker gets with each activity task, and what the client's async
 * completion calls name an attempt by (X6, X7). A real server's token is an opaque protobuf
 * (namespace, workflow, run, activity, scheduled event, attempt); hbsim's is the UTF-8 bytes of
 * a small JSON object with the same content, so that it is unique per attempt, printable, and
 * decodable by the simulated client. Pure: no clock, no I/O.
 */

/** What a task token names: one attempt of one activity. */
export interface TaskTokenFields {
  readonly namespace: string;
  readonly workflowId: string;
  readonly runId: string;
  readonly activityId: string;
  readonly attempt: number;
}

const PREFIX = 'hbsim-task-token:';

/** The token of one attempt. */
export function encodeTaskToken(fields: TaskTokenFields): Uint8Array {
  const { namespace, workflowId, runId, activityId, attempt } = fields;
  return new Uint8Array(Buffer.from(PREFIX + JSON.stringify({ namespace, workflowId, runId, activityId, attempt }), 'utf8'));
}

/** The fields of a token made by {@link encodeTaskToken}; `undefined` for anything else. */
export function decodeTaskToken(token: unknown): TaskTokenFields | undefined {
  if (!(token instanceof Uint8Array)) return undefined;
  const text = Buffer.from(token.buffer, token.byteOffset, token.byteLength).toString('utf8');
  if (!text.startsWith(PREFIX)) return undefined;
  try {
    const f = JSON.parse(text.slice(PREFIX.length)) as Record<string, unknown>;
    const { namespace, workflowId, runId, activityId, attempt } = f;
    if (typeof namespace !== 'string' || typeof workflowId !== 'string' || typeof runId !== 'string' || typeof activityId !== 'string') return undefined;
    if (typeof attempt !== 'number' || !Number.isInteger(attempt) || attempt < 1) return undefined;
    return { namespace, workflowId, runId, activityId, attempt };
  } catch {
    return undefined;
  }
}
