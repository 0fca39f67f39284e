import type { RouterOutputs } from "@berth/api";

export type RuntimeItem = RouterOutputs["runtimes"]["list"][number];
export type RuntimeVersionItem = RuntimeItem["versions"][number];
export type CatalogRuntime = RouterOutputs["runtimes"]["catalog"][number];
