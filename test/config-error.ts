import { expect } from 'vitest';
import { HbsimConfigError } from '../src/errors.js';

/**
 * Runs `fn`, expects a HbsimConfigError on `field` whose message names the value (`valueText`, when given) and
 * what was expected (containing `expectedPart`, when given).
 */
export function expectConfigError(fn: () => unknown, field: string, valueText?: string, expectedPart?: string): HbsimConfigError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(HbsimConfigError);
  const error = caught as HbsimConfigError;
  expect(error.field).toBe(field);
  expect(error.message.startsWith(`${field}: `)).toBe(true);
  if (valueText !== undefined) expect(error.message).toContain(`got ${valueText}`);
  if (expectedPart !== undefined) expect(error.expected).toContain(expectedPart);
  expect(error.message).toContain(`expected ${error.expected}`);
  return error;
}
