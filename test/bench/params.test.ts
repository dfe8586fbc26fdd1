/**
 * `--param k=v` and `--sweep k=v1,v2,...`: parsing, applying them to a scenario, and every bad
 * input as an HbsimConfigError that names the flag and the field.
 */
import { describe, expect, test } from 'vitest';
import { HbsimConfigError } from '../../src/errors.js';
import { applyParams, parseParam, parseSweep, parseValue } from '../../app/bench/params.js';
import { prepareBench } from '../../app/bench/runner.js';
import { benchSettings } from '../../app/cli/bench-command.js';
import reference from '../../examples/batch-statements.js';

function configError(fn: () => unknown): HbsimConfigError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(HbsimConfigError);
    return error as HbsimConfigError;
  }
  throw new Error('expected an HbsimConfigError, nothing was thrown');
}

describe('parsing', () => {
  test('values: numbers, booleans, strings', () => {
    expect(parseValue('0')).toBe(0);
    expect(parseValue('2.5')).toBe(2.5);
    expect(parseValue('1e3')).toBe(1000);
    expect(parseValue('true')).toBe(true);
    expect(parseValue('50ms')).toBe('50ms');
    expect(parseValue('cadence')).toBe('cadence');
  });

  test('k=v, the first = splits', () => {
    expect(parseParam('recordTime=50ms')).toEqual({ key: 'recordTime', value: '50ms', text: '50ms' });
    expect(parseParam('options.retry.initialInterval=2s')).toEqual({ key: 'options.retry.initialInterval', value: '2s', text: '2s' });
    expect(parseParam('worker.maxHeartbeatThrottleInterval=0')).toMatchObject({ value: 0 });
    expect(parseParam('records=10000')).toMatchObject({ key: 'records', value: 10000 });
    expect(parseParam('a=b=c')).toMatchObject({ key: 'a', value: 'b=c' });
  });

  test('malformed k=v names --param', () => {
    for (const bad of ['recordTime', '=5s', 'record time=5s', 'options..x=1', '1abc=2']) {
      const e = configError(() => parseParam(bad));
      expect(e.field).toBe('--param');
      expect(e.message).toMatch(/malformed, expected key=value/);
    }
    expect(configError(() => parseParam('recordTime=')).message).toBe('--param recordTime: has no value, expected a value after =');
  });

  test('sweep lists', () => {
    expect(parseSweep('heartbeatEvery=1s, 5s,15s')).toEqual({ key: 'heartbeatEvery', values: [{ key: 'heartbeatEvery', value: '1s', text: '1s' }, { key: 'heartbeatEvery', value: '5s', text: '5s' }, { key: 'heartbeatEvery', value: '15s', text: '15s' }] });
    expect(parseSweep('records=100').values.map((v) => v.value)).toEqual([100]);
    expect(configError(() => parseSweep('heartbeatEvery=1s,,5s')).message).toMatch(/^--sweep heartbeatEvery: got "1s,,5s", an empty value in the list, expected a comma-separated list/);
    expect(configError(() => parseSweep('heartbeatEvery=')).field).toBe('--sweep heartbeatEvery');
    expect(configError(() => parseSweep('heartbeatEvery=1s,5s,1s')).message).toMatch(/lists "1s" twice/);
    expect(configError(() => parseSweep('1s,5s')).field).toBe('--sweep');
  });
});

describe('applying to a scenario', () => {
  const base = { name: 'x', params: { recordTime: '50ms', heartbeatEvery: '5s' }, options: { startToCloseTimeout: '1h', retry: { initialInterval: '1s' } }, world: { workers: 2 } };

  test('each kind of key, without mutating the scenario', () => {
    const before = structuredClone(base);
    const out = applyParams(base, [
      parseParam('recordTime=10ms'),
      parseParam('params.heartbeatEvery=1s'),
      parseParam('records=300'),
      parseParam('options.heartbeatTimeout=30s'),
      parseParam('options.retry.initialInterval=2s'),
      parseParam('worker.maxHeartbeatThrottleInterval=0'),
      parseParam('world.restartDelay=0'),
      parseParam('world.latency.rpc=0'),
    ]);
    expect(out).toEqual({
      name: 'x',
      records: 300,
      params: { recordTime: '10ms', heartbeatEvery: '1s' },
      options: { startToCloseTimeout: '1h', heartbeatTimeout: '30s', retry: { initialInterval: '2s' } },
      worker: { maxHeartbeatThrottleInterval: 0 },
      world: { workers: 2, restartDelay: 0, latency: { rpc: 0 } },
    });
    expect(base).toEqual(before);
  });

  test('an unknown key names itself and the keys that exist', () => {
    const e = configError(() => applyParams(base, [parseParam('recordtime=10ms')]));
    expect(e.message).toBe('--param recordtime: unknown key, expected one of recordTime, heartbeatEvery, records, profile, options.<field>, worker.<field>, world.<field>');
    expect(configError(() => applyParams(base, [parseParam('name=y')])).field).toBe('--param name');
    expect(configError(() => applyParams(base, [parseParam('params.nope=1')])).field).toBe('--param params.nope');
    expect(configError(() => applyParams(base, [parseParam('options=1')])).field).toBe('--param options');
    // Through a value that is not an object.
    expect(configError(() => applyParams(base, [parseParam('options.startToCloseTimeout.x=1')])).field).toBe('options.startToCloseTimeout.x');
  });
});

describe('validating a whole bench before it runs', () => {
  const settings = (flags: Partial<Parameters<typeof benchSettings>[0]> = {}) => benchSettings({ runs: 1, seed: 1, ...flags });

  test('bad durations name their flag', () => {
    expect(configError(() => settings({ mtbf: 'soon' })).message).toMatch(/^--mtbf: got "soon", expected a duration/);
    expect(configError(() => settings({ rpcLatency: '-5ms' })).field).toBe('--rpc-latency');
    expect(settings({ mtbf: '2m', rpcLatency: '0' })).toMatchObject({ mtbfMs: 120_000, rpcLatencyMs: 0 });
  });

  test('a bad option value is reported by its field, for every point of the sweep', () => {
    expect(configError(() => prepareBench(reference, settings({ param: ['options.heartbeatTimeout=abc'] }))).field).toBe('options.heartbeatTimeout');
    expect(configError(() => prepareBench(reference, settings({ sweep: 'options.retry.backoffCoefficient=2,0.5' }))).message).toMatch(/^options\.retry\.backoffCoefficient: got 0\.5, expected a finite number >= 1/);
    expect(configError(() => prepareBench(reference, settings({ param: ['recordTime=fast'] }))).field).toBe('params.recordTime');
    expect(configError(() => prepareBench(reference, settings({ sweep: 'records=10,-1' }))).field).toBe('records');
  });

  test('a valid sweep gives one point per value, params in order, the swept key last', () => {
    const { name, points } = prepareBench(reference, settings({ param: ['records=300'], sweep: 'heartbeatEvery=1s,5s' }));
    expect(name).toBe('batch-statements');
    expect(points.map((p) => p.params)).toEqual([{ records: 300, heartbeatEvery: '1s' }, { records: 300, heartbeatEvery: '5s' }]);
    expect(points.map((p) => p.scenario.params['heartbeatEvery'])).toEqual(['1s', '5s']);
    expect(points[0]!.scenario.records).toBe(300);
  });
});
