/** A one-line description, e.g. `crash at 00:01:30.000`. */
export function describeFault(fault, formatTime) {
    if (fault.kind === 'cancel')
        return `cancel request at ${formatTime(fault.at)}`;
    if ('at' in fault)
        return `crash at ${formatTime(fault.at)}`;
    if ('afterEffect' in fault)
        return `crash right after sink effect #${fault.afterEffect}`;
    return `crash right after heartbeat() call #${fault.afterHeartbeatCall}`;
}
