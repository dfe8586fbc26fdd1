/**
 * Types shared by the sans-IO lifecycle model and the simulation runtime.
 *
 * Every time is a number of virtual milliseconds since the simulation started;
 * every duration is a number of milliseconds. Nothing here reads a clock.
 */
export {};
