import { readFile } from "node:fs/promises";
import readline from "node:readline";
import { parseEngineArgs, type EngineArgs } from "./args";
import {
  canConnectToDatabase,
  createDatabase,
  dropDatabase,
  UserFacingError,
} from "./database-commands";
import { engineVersion } from "./load-wasm";
import { EngineSession, toRpcError, type EngineRpcError } from "./session";

type Id = number | string;
interface RpcMessage {
  jsonrpc?: string;
  id?: Id | null;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: unknown;
}

const writeLine = (stream: NodeJS.WritableStream, value: unknown) =>
  stream.write(`${JSON.stringify(value)}\n`);

/** A tracing-style log line, the format the Prisma CLI parses from the engine's stderr. */
function logLine(level: "INFO" | "ERROR", fields: Record<string, unknown>) {
  writeLine(process.stderr, {
    timestamp: new Date().toISOString(),
    level,
    fields,
    target: "schema_engine::logger",
  });
}

/**
 * Entry point of `bin/schema-engine`: a drop-in for Prisma's native schema-engine binary that
 * runs the WebAssembly build of the same engine against Postgres through @prisma/adapter-pg.
 */
export async function main(argv: readonly string[]): Promise<number> {
  let args: EngineArgs;
  try {
    args = parseEngineArgs(argv);
  } catch (error) {
    process.stderr.write(`schema-engine: ${(error as Error).message}\n`);
    return 2;
  }
  if (args.version) {
    process.stdout.write(`schema-engine-cli ${await engineVersion()}\n`);
    return 0;
  }
  if (args.help) {
    process.stdout.write(
      "schema-engine (wasm) [--datamodels FILE...] [--datasource JSON] [cli COMMAND]\n",
    );
    return 0;
  }
  if (args.cliCommand !== undefined) return runCliCommand(args);
  return serve(args);
}

/** `schema-engine --datasource JSON cli <command>` as used by the CLI's ensureDatabaseExists. */
async function runCliCommand(args: EngineArgs): Promise<number> {
  logLine("INFO", { message: "Starting schema engine CLI" });
  const url = args.datasource.url;
  try {
    if (!url) throw new UserFacingError("P1012", "The datasource has no url.");
    switch (args.cliCommand) {
      case "can-connect-to-database":
        await canConnectToDatabase(url);
        logLine("INFO", { message: "Connection successful" });
        return 0;
      case "create-database":
        logLine("INFO", {
          message: `Database '${await createDatabase(url)}' was successfully created.`,
        });
        return 0;
      case "drop-database":
        await dropDatabase(url);
        logLine("INFO", { message: "The database was successfully dropped." });
        return 0;
      default:
        throw new UserFacingError("P1000", `unknown cli command: ${args.cliCommand ?? ""}`);
    }
  } catch (error) {
    const fields =
      error instanceof UserFacingError
        ? { error_code: error.errorCode, message: error.message }
        : { message: String((error as Error)?.message ?? error) };
    logLine("ERROR", fields);
    return 1;
  }
}

async function serve(args: EngineArgs): Promise<number> {
  const datamodels = args.datamodels.length
    ? await Promise.all(
        args.datamodels.map(async (file): Promise<[string, string]> => [
          file,
          await readFile(file, "utf8"),
        ]),
      )
    : undefined;
  const session = new EngineSession({
    datamodels,
    datasource: args.datasource,
    onLog: (line) => process.stderr.write(line.endsWith("\n") ? line : `${line}\n`),
  });

  let nextOwnId = 1;
  const pendingOwn = new Map<Id, () => void>();
  /** Engine → CLI request: the CLI prints `content` (plus a newline) on its stdout. */
  const print = (content: string) =>
    new Promise<void>((resolve) => {
      const id = `engine-print-${nextOwnId++}`;
      pendingOwn.set(id, resolve);
      writeLine(process.stdout, { jsonrpc: "2.0", id, method: "print", params: { content } });
    });

  const respondError = (id: Id | null | undefined, data: EngineRpcError["data"]) => {
    if (id === undefined || id === null) return;
    writeLine(process.stdout, {
      jsonrpc: "2.0",
      id,
      error: { code: 4466, message: "An error happened. Check the data field for details.", data },
    });
  };

  // A panic inside a wasm callback surfaces here. The Prisma CLI treats an engine that exits
  // without answering as success, so the request in flight always gets an error first.
  let inFlight: Id | null | undefined;
  const crash = (error: unknown) => {
    const rpcError = toRpcError(error);
    const data = { ...rpcError.data, is_panic: true };
    logLine("ERROR", data);
    respondError(inFlight, data);
    process.exit(101);
  };
  process.on("uncaughtException", crash);
  process.on("unhandledRejection", crash);
  // The CLI may be gone before we are (it SIGTERMs and exits): writing to its closed pipes must
  // not abort the cleanup below (closing pools, dropping temporary shadow databases).
  process.stdout.on("error", () => undefined);
  process.stderr.on("error", () => undefined);

  const handle = async (request: RpcMessage & { method: string }) => {
    const { id, method, params } = request;
    inFlight = id;
    try {
      let result = await session.call(method, params);
      if (method === "diff") {
        // The wasm engine returns the diff; the native one prints it through the CLI.
        const { stdout, ...rest } = result as { stdout?: string | null; exitCode: number };
        if (stdout) await print(stdout.endsWith("\n") ? stdout.slice(0, -1) : stdout);
        result = { ...rest, stdout: null };
      }
      if (id !== undefined && id !== null) {
        writeLine(process.stdout, { jsonrpc: "2.0", id, result: result ?? {} });
      }
    } catch (error) {
      const rpcError = toRpcError(error);
      if (rpcError.data.is_panic) logLine("ERROR", rpcError.data);
      respondError(id, rpcError.data);
    } finally {
      inFlight = undefined;
    }
  };

  // Requests run one at a time: the engine is a single `&mut self` object.
  let queue: Promise<void> = Promise.resolve();
  const input = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  input.on("line", (line) => {
    if (!line.trim()) return;
    let message: RpcMessage;
    try {
      message = JSON.parse(line) as RpcMessage;
    } catch {
      writeLine(process.stdout, {
        jsonrpc: "2.0",
        id: null,
        error: { code: -32700, message: "Parse error" },
      });
      return;
    }
    if (message.method === undefined) {
      // A response to one of our own requests (print).
      const resolve = message.id != null ? pendingOwn.get(message.id) : undefined;
      if (resolve && message.id != null) pendingOwn.delete(message.id);
      resolve?.();
      return;
    }
    const request = message as RpcMessage & { method: string };
    queue = queue.then(() => handle(request));
  });

  const closed = new Promise<void>((resolve) => input.once("close", resolve));
  const signalled = new Promise<void>((resolve) => {
    process.once("SIGTERM", resolve);
    process.once("SIGINT", resolve);
  });
  await Promise.race([closed.then(() => queue), signalled]);
  // Resolve anything still waiting for the CLI, then close pools and drop shadow databases.
  for (const resolve of pendingOwn.values()) resolve();
  await session.close();
  return 0;
}
