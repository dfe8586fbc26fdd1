export class WorkerProcess {
    host;
    incarnation;
    alive = true;
    /** What the activity factory returned for this process. */
    activity;
    /** The attempt this process runs, if any. */
    run;
    constructor(host, 
    /** 1 for the first process of the host, 2 after one restart, ... */
    incarnation) {
        this.host = host;
        this.incarnation = incarnation;
    }
    /** `worker-1#2`: host and incarnation. */
    get name() {
        return `${this.host.name}#${this.incarnation}`;
    }
    /** Free to take a task: alive and not running an unfinished attempt. */
    get idle() {
        return this.alive && (this.run === undefined || this.run.finished);
    }
}
export class WorkerHost {
    name;
    process;
    incarnations = 0;
    constructor(name) {
        this.name = name;
    }
}
