import type { Checker, PropertyName } from '../types.js';
import { completes } from './completes.js';
import { noSkippedRecords } from './no-skipped-records.js';
import { idempotent } from './idempotent.js';
import { result } from './result.js';
import { progressMonotonic } from './progress-monotonic.js';
import { deterministic } from './deterministic.js';
import { detailsSerializable } from './details-serializable.js';

/** Every checker, in the order properties are reported. */
export const CHECKERS: readonly Checker[] = [completes, noSkippedRecords, idempotent, result, progressMonotonic, deterministic, detailsSerializable];

export function checkerFor(name: PropertyName): Checker {
  return CHECKERS.find((c) => c.name === name)!;
}
