/** Bumped whenever an event's payload changes incompatibly; agents with another version are refused. */
export const PROTOCOL_VERSION = 1;
