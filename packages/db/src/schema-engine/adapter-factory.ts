import { randomUUID } from "node:crypto";
import { PrismaPg } from "@prisma/adapter-pg";
import {
  ColumnTypeEnum,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
  type SqlQueryable,
} from "@prisma/driver-adapter-utils";
import pg from "pg";

const PG_TEXT_OID = 25;
const PG_CHAR_OID = 18;
const PG_NAME_OID = 19;

/** Rows arrays of results that had `"char"` columns, with those columns' indexes. */
const charColumnsByRows = new WeakMap<unknown[], number[]>();

type QueryResultLike = { fields?: { dataTypeID: number }[]; rows?: unknown[] };

function retypeCatalogColumns(result: unknown): unknown {
  for (const part of Array.isArray(result) ? result : [result]) {
    const { fields = [], rows } = (part ?? {}) as QueryResultLike;
    const charColumns: number[] = [];
    fields.forEach((field, index) => {
      if (field.dataTypeID === PG_CHAR_OID) charColumns.push(index);
      // pg already parsed these values as plain strings; only the reported type changes.
      if (field.dataTypeID === PG_CHAR_OID || field.dataTypeID === PG_NAME_OID) {
        field.dataTypeID = PG_TEXT_OID;
      }
    });
    if (charColumns.length > 0 && rows) charColumnsByRows.set(rows, charColumns);
  }
  return result;
}

// adapter-pg rejects the catalog's "char"/name columns the engine's introspection reads (prisma/orm#27403).
class CatalogSafeClient extends pg.Client {}
const baseQuery = pg.Client.prototype.query;
CatalogSafeClient.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  const callback = args.at(-1);
  if (typeof callback === "function") {
    // pg.Pool#query (what adapter-pg uses) calls the client in callback style.
    args[args.length - 1] = (error: unknown, result: unknown) =>
      callback(error, error ? result : retypeCatalogColumns(result));
    return Reflect.apply(baseQuery, this, args);
  }
  const result: unknown = Reflect.apply(baseQuery, this, args);
  return result instanceof Promise ? result.then(retypeCatalogColumns) : result;
} as typeof baseQuery;

/** The engine reads `"char"` columns (e.g. pg_constraint.contype) as single characters. */
function reportCharColumns<T extends SqlQueryable>(queryable: T): T {
  const queryRaw = queryable.queryRaw.bind(queryable);
  queryable.queryRaw = async (query) => {
    const result = await queryRaw(query);
    for (const index of charColumnsByRows.get(result.rows) ?? []) {
      result.columnTypes[index] = ColumnTypeEnum.Character;
    }
    return result;
  };
  return queryable;
}

async function connectAdapter(connectionString: string): Promise<SqlDriverAdapter> {
  const pool = new pg.Pool({ connectionString, max: 4, Client: CatalogSafeClient });
  const adapter = reportCharColumns(
    await new PrismaPg(pool, { disposeExternalPool: true }).connect(),
  );
  const startTransaction = adapter.startTransaction.bind(adapter);
  adapter.startTransaction = async (isolationLevel) =>
    reportCharColumns(await startTransaction(isolationLevel));
  return adapter;
}

function withDatabase(connectionString: string, database: string): string {
  const url = new URL(connectionString);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

async function query(connectionString: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Runs a statement through the server's `postgres` database (the URL's own one may not exist). */
async function adminQuery(connectionString: string, sql: string): Promise<void> {
  try {
    await query(withDatabase(connectionString, "postgres"), sql);
  } catch (error) {
    if ((error as { code?: string }).code !== "3D000") throw error;
    await query(connectionString, sql);
  }
}

const EMPTY_DATABASE_SQL = `DO $$
DECLARE name text;
BEGIN
  FOR name IN SELECT nspname FROM pg_namespace
    WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema'
  LOOP
    EXECUTE format('DROP SCHEMA %I CASCADE', name);
  END LOOP;
  CREATE SCHEMA public;
END $$`;

export interface MigrationAdapterFactory extends SqlMigrationAwareDriverAdapterFactory {
  /** Disposes of every adapter still open. */
  disposeAll(): Promise<void>;
}

export interface MigrationAdapterOptions {
  url: string;
  /** A database the engine may wipe. When omitted, a temporary one is created next to `url`. */
  shadowDatabaseUrl?: string;
}

/**
 * Driver adapter factory for the wasm schema engine. Unlike PrismaPg's own connectToShadowDb
 * (whose `database` override loses against a connection string), the temporary shadow database
 * really is a separate database, dropped again when the engine disposes of it.
 */
export function createMigrationAdapterFactory(
  options: MigrationAdapterOptions,
): MigrationAdapterFactory {
  const { url, shadowDatabaseUrl } = options;
  const open = new Set<SqlDriverAdapter>();

  // Every adapter is tracked so the engine process can close pools (and drop shadow databases)
  // the engine did not dispose of itself before exiting.
  const track = (adapter: SqlDriverAdapter, afterDispose?: () => Promise<void>) => {
    const dispose = adapter.dispose.bind(adapter);
    let disposed: Promise<void> | undefined;
    adapter.dispose = () => {
      disposed ??= (async () => {
        open.delete(adapter);
        await dispose();
        await afterDispose?.();
      })();
      return disposed;
    };
    open.add(adapter);
    return adapter;
  };

  return {
    provider: "postgres",
    adapterName: new PrismaPg(url).adapterName,
    async connect() {
      return track(await connectAdapter(url));
    },
    async connectToShadowDb() {
      if (shadowDatabaseUrl) {
        // Like the native engine, start from an empty shadow database.
        await query(shadowDatabaseUrl, EMPTY_DATABASE_SQL);
        return track(await connectAdapter(shadowDatabaseUrl));
      }
      const name = `prisma_migrate_shadow_db_${randomUUID()}`;
      const quoted = pg.escapeIdentifier(name);
      await adminQuery(url, `CREATE DATABASE ${quoted}`);
      const adapter = await connectAdapter(withDatabase(url, name));
      return track(adapter, () =>
        adminQuery(url, `DROP DATABASE IF EXISTS ${quoted} WITH (FORCE)`),
      );
    },
    async disposeAll() {
      await Promise.allSettled([...open].map((adapter) => adapter.dispose()));
    },
  };
}
