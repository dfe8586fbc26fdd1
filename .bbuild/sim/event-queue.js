/**
 * The simulation's agenda: a binary min-heap of events ordered by (time, insertion sequence),
 * so that events at the same virtual time run in the order they were scheduled. This is the hot
 * path of every simulation: no allocation beyond the event itself, no closures per push.
 */
function before(a, b) {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
export class EventQueue {
    heap = [];
    nextSeq = 0;
    get size() {
        return this.heap.length;
    }
    push(at, fn, arg, owner, wakes) {
        return this.insert({ at, seq: 0, fn, arg, owner, wakes, cancelled: false });
    }
    /**
     * Put an event object (new, or one that has already run and left the queue) on the agenda
     * again at `ev.at`, with a fresh sequence number. Lets hot paths reuse one object per call.
     */
    insert(ev) {
        ev.seq = this.nextSeq++;
        const heap = this.heap;
        let i = heap.length;
        heap.push(ev);
        while (i > 0) {
            const p = (i - 1) >> 1;
            const parent = heap[p];
            if (!before(ev, parent))
                break;
            heap[i] = parent;
            i = p;
        }
        heap[i] = ev;
        return ev;
    }
    peek() {
        return this.heap[0];
    }
    pop() {
        const heap = this.heap;
        const top = heap[0];
        const last = heap.pop();
        if (top === undefined || last === undefined || heap.length === 0)
            return top;
        const n = heap.length;
        let i = 0;
        for (;;) {
            const l = 2 * i + 1;
            if (l >= n)
                break;
            const r = l + 1;
            const c = r < n && before(heap[r], heap[l]) ? r : l;
            const child = heap[c];
            if (!before(child, last))
                break;
            heap[i] = child;
            i = c;
        }
        heap[i] = last;
        return top;
    }
    /** Drop every event (end of a simulation). */
    clear() {
        this.heap.length = 0;
    }
}
