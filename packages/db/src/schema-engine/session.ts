import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import type * as wasm from "@prisma/schema-engine-wasm";
import { createMigrationAdapterFactory, type MigrationAdapterFactory } from "./adapter-factory";
import type { EngineDatasource } from "./args";
import { canConnectToDatabase, createDatabase, UserFacingError } from "./database-commands";
import { loadSchemaEngine, panicRegistry, type SchemaEngine } from "./load-wasm";

/** A failure the Prisma CLI understands (see its SchemaEngineCLI.runCommand). */
export class EngineRpcError extends Error {
  constructor(
    message: string,
    readonly data: {
      is_panic: boolean;
      message: string;
      error_code?: string;
      meta?: unknown;
      backtrace?: string;
    },
  ) {
    super(message);
    this.name = "EngineRpcError";
  }
}

export interface EngineSessionOptions {
  /** `[path, content]` of every schema file the CLI passed with `--datamodels`. */
  datamodels?: [string, string][];
  datasource: EngineDatasource;
  /** Receives the engine's tracing output (one JSON object per call). */
  onLog?: (line: string) => void;
}

/** One wasm SchemaEngine plus its driver adapters, driven by JSON-RPC method names. */
export class EngineSession {
  private factory: MigrationAdapterFactory | undefined;
  private errorRegistry: ErrorRegistryLike | undefined;
  private engine: Promise<SchemaEngine> | undefined;

  constructor(private readonly options: EngineSessionOptions) {}

  private getEngine(method: string, params: unknown): Promise<SchemaEngine> {
    this.engine ??= (async () => {
      let url = this.options.datasource.url;
      // Unlike the native engine, the wasm one connects to a database as soon as it starts.
      if (!url) {
        throw new EngineRpcError("no datasource url", {
          is_panic: false,
          error_code: "P1012",
          message: "The schema engine needs a database: set datasource.url in prisma.config.ts.",
        });
      }
      // A diff that never reads a live database (migrations/schema/empty) must not need the
      // configured one to exist: the engine then starts on the server's maintenance database.
      if (!readsLiveDatabase(method, params)) url = await existingDatabaseUrl(url);
      this.factory = createMigrationAdapterFactory({
        url,
        shadowDatabaseUrl: this.options.datasource.shadowDatabaseUrl,
      });
      const SchemaEngineClass = await loadSchemaEngine();
      const adapter = bindMigrationAwareSqlAdapterFactory(this.factory);
      this.errorRegistry = adapter.errorRegistry;
      const onLog = (line: string) => this.options.onLog?.(line);
      try {
        return await SchemaEngineClass.new({ datamodels: this.options.datamodels }, onLog, adapter);
      } catch (error) {
        throw toRpcError(error, adapter.errorRegistry);
      }
    })();
    return this.engine;
  }

  async call(method: string, params: unknown): Promise<unknown> {
    // Methods without a wasm counterpart.
    if (method === "createDatabase") {
      return { databaseName: await createDatabase(datasourceUrl(params, this.options.datasource)) };
    }
    const engine = await this.getEngine(method, params);
    try {
      return await dispatch(engine, method, params);
    } catch (error) {
      throw toRpcError(error, this.errorRegistry);
    }
  }

  async close(): Promise<void> {
    const engine = await this.engine?.catch(() => undefined);
    engine?.free();
    await this.factory?.disposeAll();
  }
}

function readsLiveDatabase(method: string, params: unknown): boolean {
  if (method !== "diff") return true;
  const { from, to } = (params ?? {}) as { from?: { tag?: string }; to?: { tag?: string } };
  const offline = new Set(["empty", "migrations", "schemaDatamodel"]);
  return !offline.has(from?.tag ?? "") || !offline.has(to?.tag ?? "");
}

/** `url`, or the server's `postgres` database when the one `url` names does not exist (yet). */
async function existingDatabaseUrl(url: string): Promise<string> {
  try {
    await canConnectToDatabase(url);
    return url;
  } catch (error) {
    if (!(error instanceof UserFacingError && error.errorCode === "P1003")) return url;
    const maintenance = new URL(url);
    maintenance.pathname = "/postgres";
    return maintenance.toString();
  }
}

/* eslint-disable @typescript-eslint/no-explicit-any -- params come straight from JSON-RPC */
async function dispatch(engine: SchemaEngine, method: string, p: any): Promise<unknown> {
  // Each call keeps `engine.` in front: detached wasm-bindgen methods lose their instance.
  switch (method) {
    case "applyMigrations":
      return engine.applyMigrations(p as wasm.ApplyMigrationsInput);
    case "createMigration":
      await primeMigrationSchemaCache(engine, p);
      return engine.createMigration(p as wasm.CreateMigrationInput);
    case "dbExecute":
      await engine.dbExecute(p as wasm.DbExecuteParams);
      return {};
    case "debugPanic":
      engine.debugPanic();
      return {};
    case "devDiagnostic":
      return engine.devDiagnostic(p as wasm.DevDiagnosticInput);
    case "diagnoseMigrationHistory":
      return engine.diagnoseMigrationHistory(p as wasm.DiagnoseMigrationHistoryInput);
    case "diff":
      return engine.diff(p as wasm.DiffParams);
    case "ensureConnectionValidity":
      return engine.ensureConnectionValidity(p as wasm.EnsureConnectionValidityParams);
    case "evaluateDataLoss":
      await primeMigrationSchemaCache(engine, p);
      return engine.evaluateDataLoss(p as wasm.EvaluateDataLossInput);
    case "getDatabaseVersion":
    case "version":
      return engine.version((p ?? null) as wasm.GetDatabaseVersionInput | null);
    case "introspect":
      return engine.introspect(p as wasm.IntrospectParams);
    case "introspectSql":
      return engine.introspectSql(p as wasm.IntrospectSqlParams);
    case "markMigrationApplied":
      return engine.markMigrationApplied(p as wasm.MarkMigrationAppliedInput);
    case "markMigrationRolledBack":
      return engine.markMigrationRolledBack(p as wasm.MarkMigrationRolledBackInput);
    case "reset":
      await engine.reset(p as wasm.ResetInput);
      return {};
    case "schemaPush":
      return engine.schemaPush(p as wasm.SchemaPushInput);
    default:
      throw new EngineRpcError(`Method not found: ${method}`, {
        is_panic: false,
        message: `The offline schema engine does not implement \`${method}\`.`,
      });
  }
}
/* eslint-enable @typescript-eslint/no-explicit-any */

/**
 * In the wasm build, createMigration and evaluateDataLoss get no shadow-database factory and only
 * work when the schema of `migrationsList` is already in the engine's cache ("PostgreSQL shadow
 * DB must be provided through an external factory" otherwise). diagnoseMigrationHistory with
 * the shadow database opted in computes it through the factory and fills that cache.
 */
async function primeMigrationSchemaCache(
  engine: SchemaEngine,
  params: { migrationsList: wasm.MigrationList; filters: wasm.SchemaFilter },
): Promise<void> {
  await engine.diagnoseMigrationHistory({
    migrationsList: params.migrationsList,
    optInToShadowDatabase: true,
    filters: params.filters,
  });
}

function datasourceUrl(params: unknown, fallback: EngineDatasource): string {
  const datasource = (params as { datasource?: { tag?: string; url?: string } } | undefined)
    ?.datasource;
  const url = datasource?.tag === "ConnectionString" ? datasource.url : fallback.url;
  if (!url) throw new EngineRpcError("no datasource url", { is_panic: false, message: "No url" });
  return url;
}

interface ErrorRegistryLike {
  consumeError(id: number): { error: unknown } | undefined;
}

/** Maps what the wasm engine throws to the `error.data` shape the native engine sends. */
export function toRpcError(error: unknown, registry?: ErrorRegistryLike): EngineRpcError {
  if (error instanceof EngineRpcError) return error;
  if (error instanceof UserFacingError) {
    return new EngineRpcError(error.message, {
      is_panic: false,
      message: error.message,
      error_code: error.errorCode,
    });
  }
  const e = (error ?? {}) as { name?: string; message?: string; code?: unknown; meta?: unknown };
  if (e.name === "RuntimeError") {
    const registryMessage = panicRegistry().get();
    const message = registryMessage || e.message || "the schema engine panicked";
    return new EngineRpcError(message, { is_panic: true, message, backtrace: String(e) });
  }
  let message = String(e.message ?? error);
  // Errors the driver adapter threw that were not DriverAdapterErrors reach the engine only as an
  // id in its error registry ("Error in external connector (id 3)"): put the original back.
  const id = /external connector \(id (\d+)\)|External error id#(\d+)/.exec(message);
  const registered = id ? registry?.consumeError(Number(id[1] ?? id[2]))?.error : undefined;
  if (registered !== undefined) {
    message += `: ${String((registered as { message?: unknown }).message ?? registered)}`;
  }
  return new EngineRpcError(message, {
    is_panic: false,
    message,
    ...(typeof e.code === "string" ? { error_code: e.code } : {}),
    ...(e.meta !== undefined ? { meta: e.meta } : {}),
  });
}
