/**
 * Virtual time. The scheduler owns the simulation's agenda (an {@link EventQueue}) and a
 * @sinonjs/fake-timers clock installed over the globals, so that the user's code sees virtual
 * `setTimeout`/`setInterval`/`setImmediate`/`Date`/`performance.now` while it runs.
 *
 * How it stays exact and fast:
 * - Internal events (world calls, RPCs, server timers) live in our own heap, never in
 *   fake-timers: one push and one pop per event, no scan.
 * - After an event that may resume user code, the next step waits until the microtask queue is
 *   empty (the barrier). The loop runs outside any microtask (in a tick or an immediate) and
 *   calls Node's own tick-queue runner, which runs every queued microtask, and every
 *   `process.nextTick` callback they queue, until none is left, then returns: no allocation, no
 *   trip through the tick queue. (Where that runner is missing or does not drain, the step
 *   instead queues a microtask that calls `process.nextTick`: Node runs a tick queued from a
 *   microtask only once every microtask has run.) So every continuation of the user's code,
 *   however deep its chain of awaits, runs at the virtual time of the event that resumed it,
 *   and nothing is ever reordered; an unhandled rejection is noticed at that time too, as Node
 *   notices it when its microtask queue runs dry. No macrotask per event (setImmediate would
 *   cost microseconds); a real macrotask is taken every few thousand steps only to keep the
 *   process responsive.
 * - User timers stay in fake-timers (they are few: a ticker, a sleep); at each step the earlier
 *   of our heap's head and fake-timers' first timer runs.
 */
import { withGlobal, type Clock as FakeClock } from '@sinonjs/fake-timers';
import { AsyncResource } from 'node:async_hooks';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { EventQueue, type Owner, type ScheduledEvent } from './event-queue.js';

const require = createRequire(import.meta.url);

const realSetImmediate = globalThis.setImmediate;
const realNextTick = process.nextTick;
const RESOLVED = Promise.resolve();

/** The globals user code sees as virtual while a simulation runs. */
const FAKED = [
  'setTimeout',
  'clearTimeout',
  'setInterval',
  'clearInterval',
  'setImmediate',
  'clearImmediate',
  'Date',
  'hrtime',
  'performance',
] as const;

/**
 * The builtin module functions fake-timers replaces while a simulation runs. ESM named imports
 * of them (`import { setTimeout } from 'node:timers/promises'`, `import { hrtime } from
 * 'node:process'`) only see a replacement once `syncBuiltinESMExports()` runs, which walks every
 * builtin module (about 0.2 ms, twice per run). Instead, when this module loads, each gets a
 * stable delegate (the real function while no simulation runs, the fake one while one does) and
 * the ESM bindings are synced once; from then on the modules always hold the delegates, so
 * nothing needs syncing again.
 */
const DELEGATED: readonly (readonly [string, readonly string[]])[] = [
  ['timers', ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'clearImmediate']],
  ['timers/promises', ['setTimeout', 'setImmediate', 'setInterval']],
  ['process', ['hrtime']],
];

type AnyFn = (...args: unknown[]) => unknown;
interface Delegate {
  readonly target: Record<string, unknown>;
  readonly name: string;
  readonly real: AnyFn;
  readonly stable: AnyFn;
  /** The fake while a simulation runs. */
  fake: AnyFn | undefined;
}

function makeDelegates(): Delegate[] {
  const list: Delegate[] = [];
  for (const [id, names] of DELEGATED) {
    const target = (id === 'process' ? process : require(id)) as Record<string, unknown>;
    for (const name of names) {
      const real = target[name];
      if (typeof real !== 'function') continue;
      const d: Delegate = {
        target,
        name,
        real: real as AnyFn,
        stable: function (this: unknown, ...args: unknown[]): unknown {
          return (d.fake ?? d.real).apply(this, args);
        },
        fake: undefined,
      };
      // Keep what hangs off the real function (util.promisify.custom, hrtime.bigint), delegated too.
      for (const key of Reflect.ownKeys(real)) {
        if (key === 'length' || key === 'name' || key === 'prototype') continue;
        const value = (real as unknown as Record<PropertyKey, unknown>)[key];
        if (typeof value === 'function') {
          Object.defineProperty(d.stable, key, {
            configurable: true,
            writable: true,
            value: (...args: unknown[]) => (((d.fake as unknown as Record<PropertyKey, AnyFn> | undefined)?.[key] ?? value) as AnyFn)(...args),
          });
        } else Object.defineProperty(d.stable, key, Object.getOwnPropertyDescriptor(real, key)!);
      }
      Object.defineProperty(d.stable, 'name', { value: (real as AnyFn).name });
      list.push(d);
    }
  }
  return list;
}

const delegates = makeDelegates();
const realAbortTimeout = AbortSignal.timeout;
for (const d of delegates) d.target[d.name] = d.stable;
syncBuiltinESMExports();

/** Steps between two real macrotasks (keeps the process responsive; no effect on results). */
const STEPS_PER_MACROTASK = 4096;

interface FakeTimer {
  readonly id: number;
  readonly callAt: number;
  readonly interval?: number;
}

type Clock = FakeClock;

/** fake-timers' earliest timer (its internal heap, pinned by the exact version in package.json and by test/sim/scheduler.test.ts). */
function firstTimer(clock: Clock): FakeTimer | undefined {
  return (clock as unknown as { timerHeap?: { peek(): FakeTimer | undefined } }).timerHeap?.peek();
}

/** Move a user timer to `callAt` (epoch ms), keeping its id and its order among timers due together (as fake-timers' own `refresh` moves one). */
function postponeTimer(clock: Clock, timer: FakeTimer, callAt: number): void {
  const heap = (clock as unknown as { timerHeap: { remove(t: FakeTimer): void; push(t: FakeTimer): void } }).timerHeap;
  heap.remove(timer);
  (timer as { callAt: number }).callAt = callAt;
  heap.push(timer);
}

/** Why {@link Scheduler.run} returned. */
export type RunEnd = 'done' | 'idle' | 'timeLimit' | 'stepLimit';

let active: Scheduler | undefined;

export class Scheduler {
  /** Virtual milliseconds since the simulation started. */
  now = 0;
  /** Who the code now running belongs to (the owner of the event or timer that resumed it). */
  current: Owner | null = null;
  /** Count of events and timers run. */
  steps = 0;
  private stopped = false;
  /** Run at most this many steps (a watchdog's replay stops right before a step that hung). */
  stepLimit = Infinity;
  /**
   * Shared with a watchdog thread: [steps, virtual now], written before each step runs, so that
   * a run stuck in synchronous user code can be located and replayed up to that step.
   */
  progress: Float64Array | undefined;
  /**
   * Set while a fault plan can pause workers: until when the code of `owner` is frozen (its
   * process's event loop stopped), or 0. An event that would resume frozen code (`wakes`), or a
   * user timer of frozen code, waits until then; network halves (`wakes` false) run on time.
   */
  frozenUntil: ((owner: Owner) => number) | undefined;

  private report(progress: Float64Array): void {
    progress[0] = this.steps;
    progress[1] = this.now;
  }

  /** Make {@link run} return (`done`) before its next event. */
  stop(): void {
    this.stopped = true;
  }
  private readonly queue = new EventQueue();
  private clock: Clock | undefined;
  private readonly timerOwners = new Map<number, Owner | null>();
  /** Ids made by setImmediate: fake-timers refuses to clear them with clearTimeout. */
  private readonly immediateIds = new Set<number>();

  /** @param epochMs what `Date.now()` returns at virtual time 0. */
  constructor(readonly epochMs: number) {}

  /** Schedule `fn(arg)` at virtual time `at` (never earlier than now). */
  at<A>(at: number, fn: (arg: A) => void, arg: A, owner: Owner | null, wakes: boolean): ScheduledEvent<A> {
    return this.queue.push(at < this.now ? this.now : at, fn, arg, owner, wakes);
  }

  /** Put `ev` (not on the agenda now) on the agenda at `ev.at` (never earlier than now). */
  insert<A>(ev: ScheduledEvent<A>): ScheduledEvent<A> {
    if (ev.at < this.now) ev.at = this.now;
    return this.queue.insert(ev);
  }

  /** Schedule `fn(arg)` `delay` ms from now. */
  after<A>(delay: number, fn: (arg: A) => void, arg: A, owner: Owner | null, wakes: boolean): ScheduledEvent<A> {
    return this.queue.push(this.now + (delay > 0 ? delay : 0), fn, arg, owner, wakes);
  }

  /** Replace the timer globals with virtual ones. One simulation at a time per thread. */
  install(): void {
    if (active !== undefined) {
      throw new Error('hbsim: a simulation is already running in this thread; run simulations one after another (await each), or in separate worker threads');
    }
    const clock = withGlobal(globalThis).install({
      now: this.epochMs,
      toFake: [...FAKED],
      loopLimit: 1_000_000,
      // Code outside the simulation (a thread pool) may clear its real timers while we run.
      shouldClearNativeTimers: true,
    }) as Clock;
    active = this;
    this.clock = clock;
    const owners = this.timerOwners;
    // Record who creates each timer, so that a crash can clear the dead process's timers.
    // The wrapper keeps the original's own properties: fake-timers reads them at uninstall.
    const immediateIds = this.immediateIds;
    const track = <F extends (...args: never[]) => unknown>(original: F, immediate: boolean): F => {
      const wrapped = ((...args: Parameters<F>) => {
        // Real Node timers run their callback in the async context they were created in
        // (AsyncLocalStorage: Temporal's Context.current()); fake-timers' do not, so bind it.
        if (typeof args[0] === 'function') (args as unknown[])[0] = AsyncResource.bind(args[0] as (...a: unknown[]) => unknown);
        const handle = original.apply(clock, args);
        const id = Number(handle);
        owners.set(id, this.current);
        if (immediate) immediateIds.add(id);
        return handle;
      }) as F;
      Object.defineProperties(wrapped, Object.getOwnPropertyDescriptors(original));
      return wrapped;
    };
    clock.setTimeout = track(clock.setTimeout, false);
    clock.setInterval = track(clock.setInterval, false);
    clock.setImmediate = track(clock.setImmediate, true);
    // Node's AbortSignal.timeout() runs on a real timer that fake-timers does not replace (Node
    // took it from `timers` at start-up): it would fire in wall-clock time. Put it on the virtual
    // clock, owned by the code that made it (a crash drops it) and, as Node's unref'd timer, not
    // counted among the timers a run leaves behind.
    AbortSignal.timeout = (ms: number): AbortSignal => {
      const controller = new AbortController();
      this.after(Number(ms), (c: AbortController) => c.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')), controller, this.current, true);
      return controller.signal;
    };
    // fake-timers replaced the functions on the `timers`, `timers/promises` and `process`
    // modules: route the stable delegates to those fakes, and put the delegates back in place.
    for (const d of delegates) {
      const now = d.target[d.name];
      d.fake = now === d.stable ? undefined : (now as AnyFn);
      d.target[d.name] = d.stable;
    }
  }

  /** Restore the real globals. Timers the user left behind are dropped; their count is returned. */
  uninstall(): number {
    const clock = this.clock;
    if (clock === undefined) return 0;
    const leftover = clock.countTimers();
    clock.uninstall();
    AbortSignal.timeout = realAbortTimeout;
    // fake-timers restored what it found (the delegates), which now call the real functions.
    for (const d of delegates) {
      d.fake = undefined;
      d.target[d.name] = d.stable;
    }
    this.clock = undefined;
    this.timerOwners.clear();
    this.immediateIds.clear();
    this.queue.clear();
    if (active === this) active = undefined;
    return leftover;
  }

  /** Cancel every user timer created by `owner` (its process died: its timers never fire again). */
  clearTimersOf(owner: Owner): void {
    const clock = this.clock;
    if (clock === undefined) return;
    for (const [id, o] of this.timerOwners) {
      if (o === owner) {
        if (this.immediateIds.delete(id)) clock.clearImmediate(id as unknown as NodeJS.Immediate);
        else clock.clearTimeout(id as unknown as NodeJS.Timeout);
        this.timerOwners.delete(id);
      }
    }
  }

  /**
   * Run events in virtual-time order until {@link stop} is called, the agenda is empty (`idle`), or the
   * next event lies beyond `timeLimit` (`timeLimit`). Errors thrown by handlers or by user timer
   * callbacks reject the returned promise unless `onTimerError` takes them.
   */
  run(timeLimit: number, onTimerError: (owner: Owner | null, error: unknown) => void): Promise<RunEnd> {
    const clock = this.clock;
    if (clock === undefined) return Promise.reject(new Error('hbsim: scheduler not installed'));
    const queue = this.queue;
    const epoch = this.epochMs;
    this.stopped = false;
    return new Promise<RunEnd>((resolve, reject) => {
      /** Node's tick-queue runner, if it drains the microtask queue from here (checked by the first step). */
      let drainNow: (() => void) | null | undefined;
      const step = (): void => {
        try {
          if (drainNow === undefined) drainNow = drainer();
          for (;;) {
            if (this.stopped) return resolve('done');
            const ev = queue.peek();
            const timer = firstTimer(clock);
            if (timer !== undefined && (ev === undefined || timer.callAt - epoch < ev.at)) {
              const at = timer.callAt - epoch;
              if (at > timeLimit) return resolve('timeLimit');
              if (this.steps >= this.stepLimit) return resolve('stepLimit');
              const owner = this.timerOwners.get(timer.id) ?? null;
              if (owner !== null && this.frozenUntil !== undefined) {
                const until = this.frozenUntil(owner);
                if (until > at) {
                  postponeTimer(clock, timer, epoch + until);
                  continue;
                }
              }
              if (timer.interval === undefined) this.timerOwners.delete(timer.id);
              this.now = at;
              this.current = owner;
              this.steps++;
              if (this.progress !== undefined) this.report(this.progress);
              try {
                clock.next();
              } catch (error) {
                onTimerError(owner, error);
              }
            } else {
              if (ev === undefined) return resolve('idle');
              if (ev.at > timeLimit) return resolve('timeLimit');
              if (ev.cancelled || (ev.owner !== null && !ev.owner.alive)) {
                queue.pop();
                continue;
              }
              if (ev.wakes && ev.owner !== null && this.frozenUntil !== undefined) {
                const until = this.frozenUntil(ev.owner);
                if (until > ev.at) {
                  // Same order among the postponed: popped in order, inserted with fresh sequence numbers.
                  queue.pop();
                  ev.at = until;
                  queue.insert(ev);
                  continue;
                }
              }
              if (this.steps >= this.stepLimit) return resolve('stepLimit');
              queue.pop();
              this.now = ev.at;
              clock.now = epoch + ev.at;
              this.current = ev.owner;
              this.steps++;
              if (this.progress !== undefined) this.report(this.progress);
              ev.fn(ev.arg);
              if (!ev.wakes) continue;
            }
            // The barrier: let every continuation of the user's code run, at this virtual time.
            if (this.steps % STEPS_PER_MACROTASK === 0) return void realSetImmediate(step);
            if (drainNow === null) return void RESOLVED.then(toTick); // a reaction queued behind the microtasks already queued
            drain(drainNow);
          }
        } catch (error) {
          reject(error);
        }
      };
      const toTick = (): void => realNextTick(step);
      RESOLVED.then(toTick);
    });
  }
}

/**
 * Node's own runner of the tick queue (`process._tickCallback`): with no tick pending it runs
 * every queued microtask, synchronously, until none is left; with ticks pending (user code
 * called `process.nextTick`), it runs ticks and microtasks alike until both queues are empty.
 * Outside a microtask, that is the barrier, with no allocation and no trip through the tick
 * queue. Returned only if it is there and does empty the microtask queue from here; else null.
 */
function drainer(): (() => void) | null {
  const runner = (process as unknown as { _tickCallback?: unknown })._tickCallback;
  if (typeof runner !== 'function') return null;
  const drainNow = runner as () => void;
  let ran = false;
  RESOLVED.then(() => {
    ran = true;
  });
  drain(drainNow);
  return ran ? drainNow : null;
}

/** The barrier of a synchronous run: an error thrown by a user's `process.nextTick` callback stays uncaught, as in Node. */
function drain(drainNow: () => void): void {
  try {
    drainNow();
  } catch (error) {
    queueMicrotask(() => {
      throw error;
    });
  }
}
