import type { ApiRuntime } from "@berth/api";

/**
 * Next.js bundles route handlers separately from server.ts, so the runtime server.ts builds is
 * handed over through one well-known global instead of being constructed twice.
 */
const KEY = Symbol.for("berth.portal.runtime");
type Holder = { [KEY]?: PortalRuntime };

export interface PortalRuntime extends ApiRuntime {
  authSecret: string;
  secureCookies: boolean;
}

export function installRuntime(runtime: PortalRuntime): void {
  (globalThis as Holder)[KEY] = runtime;
}

export function getRuntime(): PortalRuntime {
  const runtime = (globalThis as Holder)[KEY];
  if (!runtime)
    throw new Error("The portal runtime is not installed: start the portal with server.ts");
  return runtime;
}
