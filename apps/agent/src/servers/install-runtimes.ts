// Installing a server's runtimes while it is provisioned: one store install per artifact (the
// store shares a download between servers), reported as provisioning progress at most every
// `intervalMs`. A failure names the runtime and keeps the store's own reason.
import type { RuntimeArtifact } from "@berth/protocol";
import type { Clock } from "../instance/clock";
import type { InstallRequest, InstalledRuntime } from "../runtimes/runtime-store";

/** The part of the RuntimeStore provisioning uses. */
export interface RuntimeInstaller {
  readonly root: string;
  install(request: InstallRequest): Promise<InstalledRuntime>;
  list(): Promise<Pick<InstalledRuntime, "name" | "version">[]>;
  remove(name: string, version: string): Promise<boolean>;
}

export class RuntimeInstallError extends Error {
  override readonly name = "RuntimeInstallError";
}

export interface InstallRuntimesOptions {
  installer: Pick<RuntimeInstaller, "install">;
  runtimes: readonly RuntimeArtifact[];
  clock: Clock;
  /** Progress within [from, to] percent, with a message for the provisioning stage. */
  report: (percent: number, message: string) => void;
  from: number;
  to: number;
  intervalMs?: number;
}

export async function installRuntimes(options: InstallRuntimesOptions): Promise<void> {
  const { installer, runtimes, clock, report, from, to, intervalMs = 500 } = options;
  const share = runtimes.length > 0 ? (to - from) / runtimes.length : 0;
  for (const [index, runtime] of runtimes.entries()) {
    const label = `${runtime.name} ${runtime.version}`;
    const base = from + index * share;
    let last = -Infinity;
    report(Math.round(base), `Installing ${label}`);
    try {
      await installer.install({
        name: runtime.name,
        version: runtime.version,
        url: runtime.url,
        sha256: runtime.sha256,
        ...(runtime.sizeBytes ? { size: runtime.sizeBytes } : {}),
        onProgress: (bytes, total) => {
          const now = clock.now();
          if (now - last < intervalMs) return;
          last = now;
          const done = total ? Math.min(bytes / total, 1) : 0;
          report(Math.round(base + done * share), installMessage(label, bytes, total));
        },
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new RuntimeInstallError(`Installing ${label} failed: ${reason}`, { cause: error });
    }
  }
}

/** "Installing node 20.11.0 (12 MB of 40 MB)". */
export function installMessage(label: string, bytes: number, total: number | undefined): string {
  const amount = total ? `${megabytes(bytes)} of ${megabytes(total)}` : megabytes(bytes);
  return `Installing ${label} (${amount})`;
}

function megabytes(bytes: number): string {
  const mb = bytes / 1024 ** 2;
  return `${mb < 10 ? mb.toFixed(1).replace(/\.0$/, "") : Math.round(mb)} MB`;
}
