/**
 * Types that flow from a scenario: `tsc -p tsconfig.json` (in `npm test`) checks this file, so
 * each `expectTypeOf` and each `@ts-expect-error` below is a compile-time assertion (an unused
 * `@ts-expect-error` is itself an error: a check that stopped catching its mistake fails).
 */
import { heartbeat } from '@temporalio/activity';
import { defineScenario, type ActivityContext } from 'hbsim';
import { checkScenario } from 'hbsim/vitest';
import { describe, expectTypeOf, test } from 'vitest';

interface Progress {
  offset: number;
}
interface StatementInput {
  month: string;
  dryRun?: boolean;
}
const options = { startToCloseTimeout: '1m' } as const;

describe('native scenarios', () => {
  test("the input's type is the activity's parameter's; input is checked against it", () => {
    const s = defineScenario({
      name: 'typed-input',
      input: { month: '2026-10' },
      options,
      activity: () => async (_ctx, input: StatementInput) => input.month,
    });
    expectTypeOf(s.input).toEqualTypeOf<StatementInput | undefined>();
    // @ts-expect-error dryrun is not a field of StatementInput (excess property; tsc suggests dryRun)
    defineScenario({
      name: 'misspelt-field',
      input: { month: '2026-10', dryrun: true },
      options,
      activity: () => async (_ctx, input: StatementInput) => input.month,
    });
    // @ts-expect-error month is a string
    defineScenario({
      name: 'wrong-shape',
      input: { month: 202610 },
      options,
      activity: () => async (_ctx, input: StatementInput) => input.month,
    });
    // @ts-expect-error the activity takes no input
    defineScenario({
      name: 'no-input-expected',
      input: { month: '2026-10' },
      options,
      activity: () => async (ctx) => ctx.info.attempt,
    });
  });

  test("progress's details type types ctx.heartbeat and ctx.heartbeatDetails", () => {
    defineScenario({
      name: 'typed-details',
      options,
      progress: (details: Progress) => {
        expectTypeOf(details).toEqualTypeOf<Progress>();
        return details.offset;
      },
      activity: () => async (ctx) => {
        expectTypeOf(ctx).toEqualTypeOf<ActivityContext<Progress>>();
        expectTypeOf(ctx.heartbeatDetails()).toEqualTypeOf<Progress | undefined>();
        ctx.heartbeat({ offset: 1 });
        // @ts-expect-error the details are a Progress, not a number
        ctx.heartbeat(1);
        // @ts-expect-error misspelt field of the details
        ctx.heartbeat({ ofset: 1 });
      },
    });
  });

  test('without progress, details are unknown (not any)', () => {
    defineScenario({
      name: 'untyped-details',
      options,
      progress: (details) => {
        expectTypeOf(details).toBeUnknown();
        return Number(details ?? 0);
      },
      activity: () => async (ctx) => {
        expectTypeOf(ctx.heartbeatDetails()).toBeUnknown();
        expectTypeOf(ctx.heartbeatDetails<number>()).toEqualTypeOf<number | undefined>();
      },
    });
  });

  test('world, params and ctx stay typed: a typo is a compile error', () => {
    defineScenario({
      name: 'typos',
      params: { pageSize: 20 },
      options,
      activity: (world, params) => async (ctx) => {
        expectTypeOf(params.pageSize).toEqualTypeOf<number>();
        // @ts-expect-error pageSise is not a param
        void params.pageSise;
        // @ts-expect-error world.sourse does not exist
        void world.sourse;
        // @ts-expect-error ctx.heartbeatt does not exist
        ctx.heartbeatt(1);
      },
    });
  });
});

describe('Temporal scenarios', () => {
  test("the input's type is the activity's first parameter's", () => {
    const s = defineScenario({
      name: 'temporal-input',
      api: 'temporal',
      input: { month: '2026-10' },
      options,
      activity: () => async (input: StatementInput) => {
        heartbeat();
        return input.month;
      },
    });
    expectTypeOf(s.input).toEqualTypeOf<StatementInput | undefined>();
    defineScenario({
      name: 'temporal-wrong-input',
      api: 'temporal',
      // @ts-expect-error month is a string
      input: { month: 10 },
      options,
      activity: () => async (input: StatementInput) => input.month,
    });
    defineScenario({
      name: 'temporal-progress',
      api: 'temporal',
      options,
      progress: (details: Progress | undefined) => details?.offset ?? 0,
      activity: () => async (input: StatementInput) => input.month,
    });
  });
});

describe('args', () => {
  test("positional args are checked against the activity's parameters, in order", () => {
    defineScenario({ name: 'args', api: 'temporal', args: [30_000, 'eu'], options, activity: () => async (limit: number, region: string) => `${limit}${region}` });
    defineScenario({ name: 'native-args', args: [30_000, 'eu'], options, activity: () => async (_ctx, limit: number, region: string) => `${limit}${region}` });
    // @ts-expect-error the first argument is a number
    defineScenario({
      name: 'args-swapped',
      api: 'temporal',
      args: ['eu', 30_000],
      options,
      activity: () => async (limit: number, region: string) => `${limit}${region}`,
    });
  });
});

describe('checkScenario', () => {
  test('accepts a defined scenario and rejects what is not one', () => {
    const s = defineScenario({ name: 'ok', options, progress: (d: Progress) => d.offset, activity: () => async (_ctx, input: StatementInput) => input.month });
    expectTypeOf(checkScenario).toBeCallableWith(s);
    // @ts-expect-error not a scenario: no options, no activity
    expectTypeOf(checkScenario).toBeCallableWith({ name: 'nope' });
    // @ts-expect-error a string is not a scenario
    expectTypeOf(checkScenario).toBeCallableWith('examples/statements-ticker.ts');
  });
});
