/**
 * `idempotent` (judged on every run, completed or not): no key holds more than the reference: a
 * total above it, a key it never wrote, a different value. The typical cause: a non-idempotent
 * effect (an increment) redone after a retry resumed from details older than the effects.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Checker } from '../types.js';
import { databaseViolation } from '../database-diff.js';
import { describeAttempts, describeEffects, describeFaultEvents, effectsOn, show } from '../explain.js';

export const idempotent: Checker = {
  name: 'idempotent',
  description: 'on every run, no key holds more than in the fault-free run: no total above it, no key it never wrote, no different value',
  check({ reference, run }) {
    const above: string[] = [];
    const extra: string[] = [];
    const differs: string[] = [];
    for (const [key, got] of run.sink) {
      if (!reference.sink.has(key)) extra.push(key);
      else {
        const expected = reference.sink.get(key);
        if (typeof expected === 'number' && typeof got === 'number') {
          if (got > expected) above.push(key);
        } else if (!isDeepStrictEqual(got, expected)) differs.push(key);
      }
    }
    if (above.length + extra.length + differs.length === 0) return databaseViolation('idempotent', reference, run);
    const key = (above[0] ?? differs[0] ?? extra[0])!;
    const effects = effectsOn(run, key);
    const applied = effects.filter((e) => e.applied);
    let summary: string;
    if (above.length > 0) {
      const got = run.sink.get(key) as number;
      const expected = reference.sink.get(key) as number;
      const twice = firstRepeat(applied);
      summary = `${key} holds ${got} instead of ${expected} (${got - expected} too much)`;
      summary += twice !== undefined
        ? `: the ${twice[0].op} of ${show(twice[0].value)} was applied twice, by ${describeEffects([twice[0]])} and again by ${describeEffects([twice[1]])}`
        : `: applied ${applied.length} times, by ${describeEffects(applied.slice(0, 6))}${applied.length > 6 ? ', ...' : ''}`;
      if (above.length > 1) summary += ` (${above.length - 1} more keys are too high)`;
    } else if (differs.length > 0) {
      summary = `${key} holds ${show(run.sink.get(key))} instead of ${show(reference.sink.get(key))}, written by ${describeEffects(effects)}`;
    } else {
      summary = `${key} was written (${describeEffects(effects)}) but the fault-free run never writes it`;
    }
    const resumed = run.attempts.filter((a) => applied.some((e) => e.attempt === a.attempt) && a.startDetails !== undefined).map((a) => `attempt ${a.attempt} resumed from ${a.startDetails}`);
    return {
      property: 'idempotent',
      summary,
      details: [...resumed, ...describeFaultEvents(run), ...describeAttempts(run)],
      keys: [key],
      times: (above.length > 0 ? repeatOf(applied) ?? applied : effects).map((e) => e.t),
    };
  },
};

type Effect = ReturnType<typeof effectsOn>[number];

function repeatOf(effects: readonly Effect[]): Effect[] | undefined {
  const r = firstRepeat(effects);
  return r === undefined ? undefined : [r[0], r[1]];
}

/** The first effect value applied again by a later attempt (the same record redone), if any. */
function firstRepeat(effects: readonly Effect[]): [Effect, Effect] | undefined {
  const seen = new Map<string, Effect>();
  for (const e of effects) {
    const k = JSON.stringify(e.value);
    const first = seen.get(k);
    if (first !== undefined && first.attempt !== e.attempt) return [first, e];
    if (first === undefined) seen.set(k, e);
  }
  return undefined;
}
