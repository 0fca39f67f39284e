import { spawn } from "node:child_process";
import { prismaCliEntry, repoRoot, schemaEngineBin } from "./paths";

export interface RunPrismaOptions {
  /** Overrides merged into the current environment (e.g. DATABASE_URL). */
  env?: Record<string, string | undefined>;
  /** Capture stdout/stderr instead of inheriting the terminal. */
  capture?: boolean;
  /** Working directory; the repository root (where prisma.config.ts lives) by default. */
  cwd?: string;
}

export interface PrismaResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Environment that makes the real Prisma CLI work offline with the wasm schema engine. */
export function prismaEnv(
  overrides: Record<string, string | undefined> = {},
): Record<string, string | undefined> {
  return {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: schemaEngineBin,
    // No update checks or telemetry: this machine has no route to Prisma's servers.
    CHECKPOINT_DISABLE: "1",
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
    PRISMA_HIDE_PREVIEW_FLAG_WARNINGS: "1",
    ...overrides,
  };
}

/** Runs `prisma <args>` from node_modules and resolves with its exit code (never rejects on it). */
export function runPrisma(
  args: readonly string[],
  options: RunPrismaOptions = {},
): Promise<PrismaResult> {
  const child = spawn(process.execPath, [prismaCliEntry(), ...args], {
    cwd: options.cwd ?? repoRoot,
    env: prismaEnv(options.env) as NodeJS.ProcessEnv,
    stdio: options.capture ? ["ignore", "pipe", "pipe"] : "inherit",
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code, signal) =>
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr }),
    );
  });
}
