import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import type { SchemaEngine } from "@prisma/schema-engine-wasm";

export type { SchemaEngine } from "@prisma/schema-engine-wasm";
export type SchemaEngineClass = typeof SchemaEngine;

interface PanicRegistry {
  message: string;
  get(): string;
  set_message(message: string): void;
}

declare global {
  var PRISMA_WASM_PANIC_REGISTRY: PanicRegistry | undefined;
}

/** Installs the registry the wasm panic hook writes to and returns it. */
export function panicRegistry(): PanicRegistry {
  globalThis.PRISMA_WASM_PANIC_REGISTRY ??= {
    message: "",
    get() {
      return this.message;
    },
    set_message(message: string) {
      this.message = message;
    },
  };
  return globalThis.PRISMA_WASM_PANIC_REGISTRY;
}

// The WebAssembly global exists in Node, but its types live in lib.dom, which this project omits.
interface WasmApi {
  compile(bytes: Uint8Array): Promise<object>;
  instantiate(module: object, imports: object): Promise<{ exports: Record<string, unknown> }>;
}
const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

let loaded: Promise<SchemaEngineClass> | undefined;

/**
 * Instantiates @prisma/schema-engine-wasm once per process. Its default entry imports the .wasm
 * as an ES module (a bundler feature Node lacks), so the bindings are wired up by hand, the way
 * Prisma's own loader does it.
 */
export function loadSchemaEngine(): Promise<SchemaEngineClass> {
  loaded ??= (async () => {
    panicRegistry();
    const require = createRequire(import.meta.url);
    const bindingsPath = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
    const bindings = await import("@prisma/schema-engine-wasm/schema_engine_bg");
    const bytes = await readFile(path.join(path.dirname(bindingsPath), "schema_engine_bg.wasm"));
    const module = await wasmApi.compile(bytes);
    const instance = await wasmApi.instantiate(module, { "./schema_engine_bg.js": bindings });
    bindings.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return bindings.SchemaEngine;
  })();
  return loaded;
}

/** Git hash of the engine build (what `schema-engine --version` prints). */
export async function engineVersion(): Promise<string> {
  await loadSchemaEngine();
  const bindings = await import("@prisma/schema-engine-wasm/schema_engine_bg");
  return bindings.version();
}
