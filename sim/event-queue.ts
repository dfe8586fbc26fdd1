/**
 * The simulation's agenda: a binary min-heap of events ordered by (time, insertion sequence),
 * so that events at the same virtual time run in the order they were scheduled. This is the hot
 * path of every simulation: no allocation beyond the event itself, no closures per push.
 */

/** Who an event belongs to. An event whose owner is no longer alive is dropped, never run. */
export interface Owner {
  readonly alive: boolean;
}

/** Something scheduled that can be called off: set `cancelled` and it never runs. */
export interface Cancellable {
  cancelled: boolean;
}

/** One scheduled event. `fn(arg)` runs at time `at` unless `cancelled` or its owner died. */
export interface ScheduledEvent<A = unknown> extends Cancellable {
  at: number;
  seq: number;
  fn: (arg: A) => void;
  arg: A;
  readonly owner: Owner | null;
  /** True if running it may resume user code: the scheduler then lets all microtasks settle. */
  wakes: boolean;
}

function before(a: ScheduledEvent, b: ScheduledEvent): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

export class EventQueue {
  private readonly heap: ScheduledEvent[] = [];
  /**
   * The earliest event, kept out of the heap (or undefined): it precedes every event in the heap.
   * A world call's effect and then its answer usually come before everything else on the agenda
   * (server timers, crashes lie further ahead), so they go in and out here with no sifting.
   */
  private front: ScheduledEvent | undefined = undefined;
  private nextSeq = 0;

  get size(): number {
    return this.heap.length + (this.front === undefined ? 0 : 1);
  }

  push<A>(at: number, fn: (arg: A) => void, arg: A, owner: Owner | null, wakes: boolean): ScheduledEvent<A> {
    return this.insert({ at, seq: 0, fn, arg, owner, wakes, cancelled: false });
  }

  /**
   * Put an event object (new, or one that has already run and left the queue) on the agenda
   * again at `ev.at`, with a fresh sequence number. Lets hot paths reuse one object per call.
   */
  insert<A>(ev: ScheduledEvent<A>): ScheduledEvent<A> {
    ev.seq = this.nextSeq++;
    const e = ev as unknown as ScheduledEvent;
    const front = this.front;
    if (front === undefined) {
      const head = this.heap[0];
      // Before the heap's head: it becomes the front (an event at the head's time comes after it: a later seq).
      if (head === undefined || e.at < head.at) {
        this.front = e;
        return ev;
      }
    } else if (e.at < front.at) {
      // Before the front: the front goes into the heap, this one takes its place.
      this.front = e;
      this.heapInsert(front);
      return ev;
    }
    this.heapInsert(e);
    return ev;
  }

  private heapInsert(ev: ScheduledEvent): void {
    const heap = this.heap;
    let i = heap.length;
    heap.push(ev);
    while (i > 0) {
      const p = (i - 1) >> 1;
      const parent = heap[p]!;
      if (!before(ev, parent)) break;
      heap[i] = parent;
      i = p;
    }
    heap[i] = ev;
  }

  peek(): ScheduledEvent | undefined {
    return this.front ?? this.heap[0];
  }

  pop(): ScheduledEvent | undefined {
    const front = this.front;
    if (front !== undefined) {
      this.front = undefined;
      return front;
    }
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (top === undefined || last === undefined || heap.length === 0) return top;
    const n = heap.length;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && before(heap[r]!, heap[l]!) ? r : l;
      const child = heap[c]!;
      if (!before(child, last)) break;
      heap[i] = child;
      i = c;
    }
    heap[i] = last;
    return top;
  }

  /** Drop every event (end of a simulation). */
  clear(): void {
    this.heap.length = 0;
    this.front = undefined;
  }
}
