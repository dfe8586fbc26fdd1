/**
 * The errors a node-postgres user sees when the connection fails: shaped like `pg`'s (a
 * `DatabaseError` with `code` and `severity` from the server; a socket error with `code`
 * `ECONNRESET`; "Connection terminated" for a client whose connection is gone).
 */

/**
 * An error sent by the server (`ErrorResponse`), as node-postgres's `DatabaseError` (pg-protocol):
 * class `DatabaseError` (Temporal reports its class name as the failure type), `name` 'error',
 * and the server's fields.
 */
export class DatabaseError extends Error {
  readonly length: number;
  detail: string | undefined;
  hint: string | undefined;
  position: string | undefined;
  internalPosition: string | undefined;
  internalQuery: string | undefined;
  where: string | undefined;
  schema: string | undefined;
  table: string | undefined;
  column: string | undefined;
  dataType: string | undefined;
  constraint: string | undefined;
  file: string | undefined;
  line: string | undefined;
  routine: string | undefined;
  constructor(
    message: string,
    readonly code: string,
    readonly severity: string,
  ) {
    super(message);
    this.name = 'error';
    this.length = message.length;
  }
}

const FIELDS = ['detail', 'hint', 'position', 'internalPosition', 'internalQuery', 'where', 'schema', 'table', 'column', 'dataType', 'constraint', 'file', 'line', 'routine'] as const;

/** PGlite's error (a minified class) as node-postgres's `DatabaseError`; anything else as it is. */
export function asDatabaseError(error: unknown): unknown {
  const e = error as Record<string, unknown> | null;
  if (e === null || typeof e !== 'object' || typeof e['code'] !== 'string' || typeof e['severity'] !== 'string') return error;
  const out = new DatabaseError(String(e['message']), e['code'], e['severity']);
  for (const f of FIELDS) if (typeof e[f] === 'string') out[f] = e[f];
  return out;
}

/** `57P01 admin_shutdown`: the server ended the connection (a restart, a failover); an open transaction is rolled back. */
export function adminShutdown(): DatabaseError {
  return new DatabaseError('terminating connection due to administrator command', '57P01', 'FATAL');
}

/** The socket was reset (`read ECONNRESET`): whether the statement ran is unknown to the client. */
export function connectionReset(): Error {
  return Object.assign(new Error('read ECONNRESET'), { errno: -104, code: 'ECONNRESET', syscall: 'read' });
}

/** A query on a client whose connection is gone (as node-postgres says it). */
export function notQueryable(): Error {
  return new Error('Client has encountered a connection error and is not queryable');
}

/** The SQL that makes the real engine raise `40001` (so that an open transaction really is aborted). */
export const RAISE_SERIALIZATION_FAILURE = "DO $$ BEGIN RAISE EXCEPTION USING ERRCODE = '40001', MESSAGE = 'could not serialize access due to concurrent update'; END $$";
