import { ActivityLifecycle } from '../src/model/lifecycle.js';
import { localTimeoutDeadline, throttleIntervalMs } from '../src/model/heartbeat-throttle.js';
import { AttemptRun, describeError } from './attempt-run.js';
import { Prng } from './prng.js';
import { Scheduler } from './scheduler.js';
import { Trace } from './trace.js';
import { generateRecords, WorldServices } from './world.js';
import { WorkerHost, WorkerProcess } from './worker-process.js';
import { createSimLogger } from './sim-logger.js';
const DAY = 86_400_000;
export class Simulation {
    scenario;
    options;
    frontDoor;
    scheduler;
    trace;
    counts = { heartbeatCalls: 0, heartbeatsSent: 0, detailsStored: 0, recordsRedone: 0, effects: 0, crashes: 0, attempts: 0 };
    lifecycle;
    world;
    hosts = [];
    input;
    profile;
    throttleIntervalMs;
    logger;
    server;
    prng;
    rpcPrng;
    taskQueue = [];
    timers = new Map();
    attempts = [];
    warnings = [];
    outcome;
    draining = false;
    heartbeatCallCrashes = [];
    effectCrashes = [];
    constructor(scenario, options, frontDoor) {
        this.scenario = scenario;
        this.options = options;
        this.frontDoor = frontDoor;
        this.trace = new Trace(options.trace ?? 'full');
        this.prng = Prng.seeded(options.seed);
        this.rpcPrng = this.prng.fork('rpc');
        this.scheduler = new Scheduler(scenario.epochMs);
        this.input = scenario.input;
        this.profile = scenario.profile;
        this.lifecycle = new ActivityLifecycle(scenario.options);
        this.throttleIntervalMs = throttleIntervalMs(scenario.profile, scenario.options.heartbeatTimeoutMs, scenario.worker);
        this.logger = options.logger ?? createSimLogger(this.scheduler, undefined);
        if (options.logger !== undefined) {
            const log = options.logger;
            this.trace.listener = (ev) => log.debug({ vt: ev.t, event: ev }, ev.type);
        }
        this.world = new WorldServices(generateRecords(scenario.records, this.prng.fork('records')), scenario.latencies, this.scheduler, this.prng.fork('latency'), this.prng.fork('world.random'), this.trace);
        this.world.onEffect = (n) => {
            if (this.effectCrashes.includes(n))
                this.crashCurrent(`fault plan: crash right after sink effect #${n}`);
        };
        this.server = {
            heartbeat: (attempt, details) => this.handle({ type: 'heartbeat', at: this.scheduler.now, attempt, details }, 'heartbeat'),
            report: (attempt, report) => this.handle(reportEvent(this.scheduler.now, attempt, report), report.report === 'completed' ? 'completed' : report.report === 'failed' ? 'failed' : 'canceled'),
        };
        for (let i = 1; i <= scenario.workers; i++)
            this.hosts.push(new WorkerHost(`worker-${i}`));
    }
    // ---- the server side -------------------------------------------------------------------
    /** Feed the lifecycle an event, apply its decisions, and return its answer to an RPC, if any. */
    handle(event, rpc) {
        let response = { status: 'notFound', cancelRequested: false };
        for (const d of this.lifecycle.handle(event)) {
            if (d.type === 'respond' && d.to === rpc)
                response = { status: d.status, cancelRequested: d.cancelRequested };
            else
                this.apply(d);
        }
        return response;
    }
    apply(d) {
        const s = this.scheduler;
        const now = s.now;
        switch (d.type) {
            case 'armTimer': {
                const old = this.timers.get(d.timer.kind);
                if (old !== undefined)
                    old.cancelled = true;
                const ev = s.at(d.at, (timer) => {
                    if (this.timers.get(timer.kind) === ev)
                        this.timers.delete(timer.kind);
                    this.trace.record({ t: s.now, type: 'timerFired', timer: timer.kind, attempt: timer.attempt });
                    this.handle({ type: 'timerFired', at: s.now, timer });
                }, d.timer, null, false);
                this.timers.set(d.timer.kind, ev);
                return;
            }
            case 'disarmTimer': {
                const ev = this.timers.get(d.timer.kind);
                if (ev !== undefined) {
                    ev.cancelled = true;
                    this.timers.delete(d.timer.kind);
                }
                return;
            }
            case 'dispatch':
                s.at(d.at, (attempt) => {
                    this.trace.record({ t: s.now, type: 'dispatched', attempt });
                    this.taskQueue.push(attempt);
                    this.tryDispatch();
                }, d.attempt, null, false);
                return;
            case 'withdraw': {
                const i = this.taskQueue.indexOf(d.attempt);
                if (i >= 0)
                    this.taskQueue.splice(i, 1);
                return;
            }
            case 'detailsStored':
                this.counts.detailsStored++;
                this.trace.record({ t: now, type: 'detailsStored', attempt: d.attempt, details: d.details });
                return;
            case 'attemptTimedOut':
                this.trace.record({ t: now, type: 'attemptTimedOut', attempt: d.attempt, timeoutType: d.timeoutType });
                this.endAttempt(d.attempt, `timed out (${d.timeoutType})`);
                return;
            case 'attemptFailed':
                this.endAttempt(d.attempt, `failed: ${d.failure.kind === 'application' ? `${d.failure.type}: ${d.failure.message}` : d.failure.kind}`);
                return;
            case 'retryScheduled':
                this.trace.record({ t: now, type: 'retryScheduled', nextAttempt: d.nextAttempt, backoffMs: d.backoffMs, at: d.at, why: describeFailure(d.failure) });
                return;
            case 'closed':
                this.outcome = d.outcome;
                s.stop();
                this.endAttempt(d.outcome.attempt, d.outcome.status);
                this.trace.record({ t: now, type: 'closed', status: d.outcome.status, attempt: d.outcome.attempt });
                return;
            case 'respond':
                return;
        }
    }
    endAttempt(attempt, how) {
        const a = this.attempts.find((x) => x.attempt === attempt);
        if (a !== undefined && a.endedAt === undefined) {
            a.endedAt = this.scheduler.now;
            a.how = how;
        }
    }
    /** Hand queued tasks to idle workers (lowest-numbered first). */
    tryDispatch() {
        while (this.taskQueue.length > 0) {
            const host = this.hosts.find((h) => h.process?.idle === true);
            if (host === undefined || host.process === undefined)
                return;
            const attempt = this.taskQueue.shift();
            this.startAttempt(host.process, attempt);
        }
    }
    startAttempt(process, attempt) {
        const s = this.scheduler;
        const details = this.lifecycle.storedDetails;
        this.handle({ type: 'attemptStarted', at: s.now, attempt, worker: process.name });
        const run = new AttemptRun(this, process, {
            attempt,
            details,
            scheduledAt: this.lifecycle.firstScheduledAt ?? 0,
            currentAttemptScheduledAt: this.lifecycle.currentAttemptScheduledAt ?? s.now,
            startedAt: s.now,
        });
        process.run = run;
        this.counts.attempts++;
        this.attempts.push({ attempt, worker: process.name, startedAt: s.now, startDetails: details, endedAt: undefined, how: 'running' });
        this.trace.record({ t: s.now, type: 'attemptStarted', attempt, worker: process.name, details });
        s.at(s.now, (r) => r.begin(), run, run, true);
    }
    /** An attempt reported (or had nothing to report): its worker slot is free. */
    onRunFinished(run) {
        void run;
        this.tryDispatch();
        this.stopIfDrained();
    }
    /** After the outcome: stop once no attempt is still running (zombies, late reports). */
    stopIfDrained() {
        if (this.draining && !this.anyLiveRun())
            this.scheduler.stop();
    }
    // ---- the worker side -------------------------------------------------------------------
    /** An RPC from `owner`: request half, `atServer()` on the server, response half, `onResponse`. */
    rpc(owner, atServer, onResponse) {
        const range = this.scenario.rpcLatency;
        const l = range.min === range.max ? range.min : this.rpcPrng.int(range.min, range.max);
        const half = Math.floor(l / 2);
        const s = this.scheduler;
        s.after(half, () => {
            const response = atServer();
            s.after(l - half, onResponse, response, owner, true);
        }, undefined, owner, false);
    }
    /** S5: when the worker gives up on the attempt by itself. */
    localTimeoutAt(start, lastHeartbeatResponseAt) {
        const o = this.scenario.options;
        return localTimeoutDeadline(this.profile, {
            attemptStartedAt: start.startedAt,
            lastHeartbeatResponseAt,
            heartbeatTimeoutMs: o.heartbeatTimeoutMs,
            startToCloseTimeoutMs: o.startToCloseTimeoutMs,
            attemptScheduledAt: start.currentAttemptScheduledAt,
            scheduleToCloseTimeoutMs: o.scheduleToCloseTimeoutMs,
        });
    }
    startProcess(host) {
        const s = this.scheduler;
        const process = new WorkerProcess(host, ++host.incarnations);
        host.process = process;
        this.trace.record({ t: s.now, type: 'processStarted', worker: process.name });
        const previous = s.current;
        s.current = process;
        try {
            process.activity = this.scenario.activity(this.world.facade(), this.scenario.params);
        }
        finally {
            s.current = previous;
        }
        if (typeof process.activity !== 'function') {
            throw new TypeError(`scenario ${this.scenario.name}: activity(world, params) must return the activity function, got ${typeof process.activity}`);
        }
        this.tryDispatch();
    }
    /** Process death of `host`'s process. */
    crash(host, reason) {
        const process = host.process;
        if (process === undefined || !process.alive)
            return;
        const s = this.scheduler;
        const run = process.run !== undefined && !process.run.finished ? process.run : undefined;
        this.counts.crashes++;
        this.trace.record({ t: s.now, type: 'crash', worker: process.name, attempt: run?.attempt ?? 0, reason });
        run?.onCrash();
        process.alive = false;
        if (process.run !== undefined)
            s.clearTimersOf(process.run);
        s.clearTimersOf(process);
        if (run !== undefined)
            this.endAttempt(run.attempt, 'crashed');
        s.after(this.scenario.restartDelayMs, (h) => this.startProcess(h), host, null, true);
        this.stopIfDrained();
    }
    /** Crash the worker running the current attempt (or the first worker if none runs). */
    crashCurrent(reason) {
        const current = this.lifecycle.attempt;
        const host = this.hosts.find((h) => h.process?.run?.attempt === current && !h.process.run.finished && h.process.alive) ?? this.hosts[0];
        this.crash(host, reason);
    }
    /** A heartbeat() call reached the run (after encoding): crash faults keyed on call counts. */
    onHeartbeatCall() {
        if (this.heartbeatCallCrashes.includes(this.counts.heartbeatCalls)) {
            const n = this.counts.heartbeatCalls;
            // Right after the call: before anything the activity does next can take effect.
            this.scheduler.at(this.scheduler.now, () => this.crashCurrent(`fault plan: crash right after heartbeat() call #${n}`), undefined, null, false);
        }
    }
    schedule(fault) {
        const s = this.scheduler;
        if (fault.kind === 'cancel') {
            s.at(fault.at, () => {
                this.trace.record({ t: s.now, type: 'cancelRequested' });
                this.handle({ type: 'cancelRequested', at: s.now });
                this.tryDispatch();
            }, undefined, null, false);
        }
        else if ('at' in fault) {
            s.at(fault.at, () => this.crashCurrent(`fault plan: crash at ${fault.at} ms`), undefined, null, false);
        }
        else if ('afterEffect' in fault) {
            this.effectCrashes.push(fault.afterEffect);
        }
        else {
            this.heartbeatCallCrashes.push(fault.afterHeartbeatCall);
        }
    }
    // ---- running ---------------------------------------------------------------------------
    anyLiveRun() {
        return this.hosts.some((h) => h.process?.alive === true && h.process.run !== undefined && !h.process.run.finished);
    }
    async run() {
        const s = this.scheduler;
        const maxTime = this.options.maxVirtualTimeMs ?? 30 * DAY;
        let ended;
        s.install();
        try {
            for (const fault of this.options.faults ?? [])
                this.schedule(fault);
            for (const host of this.hosts)
                this.startProcess(host);
            this.trace.record({ t: 0, type: 'scheduled' });
            this.handle({ type: 'schedule', at: 0 });
            const onTimerError = (owner, error) => {
                this.warnings.push(`an error thrown in a timer callback at ${s.now} ms crashed the worker (an uncaught exception kills a Node process): ${describeError(error)}`);
                const host = this.hosts.find((h) => h.process === owner || h.process?.run === owner);
                if (host !== undefined)
                    this.crash(host, `uncaught exception in a timer callback: ${describeError(error)}`);
            };
            const end = await s.run(maxTime, onTimerError);
            if (end === 'idle')
                ended = { status: 'stuck', at: s.now, reason: 'nothing left to happen in the simulation, yet the activity never closed: it awaits something no simulated service will settle (a real timer, real I/O, or a promise never resolved), and no timeout is armed' };
            else if (end === 'timeLimit')
                ended = { status: 'timeLimit', at: s.now, reason: `the activity had not closed after ${maxTime} ms of virtual time` };
            if (this.outcome !== undefined && this.anyLiveRun()) {
                // Zombies and late reports: let running attempts finish (or observe their cancellation).
                const o = this.scenario.options;
                const drain = s.now + Math.max(o.startToCloseTimeoutMs || o.scheduleToCloseTimeoutMs, 60_000);
                this.draining = true;
                await s.run(drain, onTimerError);
            }
        }
        finally {
            const leftover = s.uninstall();
            if (leftover > 0)
                this.warnings.push(`${leftover} timer(s) were still pending when the simulation ended (a ticker not cleared when the activity returned?)`);
        }
        this.counts.recordsRedone = this.world.redoneEffects;
        this.counts.effects = this.world.effects;
        return {
            scenario: this.scenario.name,
            seed: this.options.seed,
            faults: this.options.faults ?? [],
            outcome: ended ?? this.outcome,
            attempts: this.attempts,
            trace: this.trace.events,
            digest: this.trace.digest(),
            sink: this.world.sink,
            counts: this.counts,
            endedAt: s.now,
            warnings: this.warnings,
        };
    }
}
function reportEvent(at, attempt, report) {
    switch (report.report) {
        case 'completed': return { type: 'completed', at, attempt, result: report.result };
        case 'failed': return { type: 'failed', at, attempt, failure: report.failure };
        case 'canceled': return { type: 'canceled', at, attempt, details: report.details };
        default: throw new Error('hbsim: nothing to report');
    }
}
function describeFailure(f) {
    if (f.kind === 'application')
        return `${f.type}: ${f.message}`;
    if (f.kind === 'timeout')
        return `${f.timeoutType} timeout`;
    return 'canceled';
}
