/**
 * Scenario validation: every malformed scenario is a HbsimConfigError naming a field, never
 * anything else (a TypeError from deep inside, a crash); valid ones pass.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { HbsimConfigError } from '../src/errors.js';
import { normalizeScenario } from '../src/scenario.js';

const valid = {
  name: 'ok',
  activity: () => async () => undefined,
  options: { startToCloseTimeout: '1m' },
};

const anything = fc.anything({ withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withNullPrototype: true, maxDepth: 3 });
const field = fc.constantFrom('name', 'api', 'profile', 'activity', 'input', 'records', 'params', 'options', 'worker', 'world', 'progress', 'unknownField');
const worldValue = fc.oneof(
  anything,
  fc.record({ latency: fc.oneof(anything, fc.dictionary(fc.constantFrom('read', 'put', 'add', 'get', 'rpc', 'nope'), fc.oneof(anything, fc.record({ min: anything, max: anything })))) }, { requiredKeys: [] }),
  fc.record({ workers: anything, restartDelay: anything, startTime: anything }, { requiredKeys: [] }),
);

describe('scenario validation', () => {
  test('random malformed scenarios only ever throw HbsimConfigError, naming a field', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(field, fc.oneof(anything, worldValue)), { maxLength: 4 }), fc.boolean(), (changes, drop) => {
        const scenario: Record<string, unknown> = { ...valid };
        for (const [k, v] of changes) {
          if (drop) delete scenario[k];
          else scenario[k] = v;
        }
        try {
          normalizeScenario(scenario);
        } catch (error) {
          expect(error).toBeInstanceOf(HbsimConfigError);
          expect((error as HbsimConfigError).field.length).toBeGreaterThan(0);
          expect((error as HbsimConfigError).message).toContain((error as HbsimConfigError).field);
        }
      }),
      { numRuns: 2000 },
    );
  });

  test('anything at all as the default export: HbsimConfigError or a valid scenario', () => {
    fc.assert(
      fc.property(anything, (value) => {
        try {
          normalizeScenario(value);
        } catch (error) {
          expect(error).toBeInstanceOf(HbsimConfigError);
        }
      }),
      { numRuns: 1000 },
    );
  });

  test.each([
    [{ ...valid, name: '' }, 'name'],
    [{ ...valid, api: 'grpc' }, 'api'],
    [{ ...valid, records: -1 }, 'records'],
    [{ ...valid, activity: 'f' }, 'activity'],
    [{ ...valid, world: { workers: 0 } }, 'world.workers'],
    [{ ...valid, world: { latency: { put: { min: '5ms', max: '1ms' } } } }, 'world.latency.put.max'],
    [{ ...valid, world: { latency: { put: '-5ms' } } }, 'world.latency.put'],
    [{ ...valid, world: { startTime: 'yesterday' } }, 'world.startTime'],
    [{ ...valid, options: undefined }, 'options'],
    [{ ...valid, progress: 3 }, 'progress'],
  ])('%j is rejected on field %s', (scenario, fieldName) => {
    expect(() => normalizeScenario(scenario)).toThrow(HbsimConfigError);
    try {
      normalizeScenario(scenario);
    } catch (error) {
      expect((error as HbsimConfigError).field).toBe(fieldName);
    }
  });

  test('a valid scenario passes with its defaults', () => {
    const s = normalizeScenario(valid);
    expect(s).toMatchObject({ name: 'ok', api: 'native', profile: 'temporal', records: 200, workers: 1, restartDelayMs: 5000 });
  });
});
