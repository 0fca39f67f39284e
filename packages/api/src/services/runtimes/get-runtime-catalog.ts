import type { PrismaClient } from "@berth/db";
import { compareVersions, toRuntimeKind } from "./runtime-view";

export interface CatalogVersion {
  id: string;
  version: string;
  isDefault: boolean;
  deprecated: boolean;
}

export interface CatalogRuntime {
  id: string;
  name: string;
  displayName: string;
  kind: "runtime" | "addon";
  /** Default first, then current before deprecated, newest first. Never empty. */
  versions: CatalogVersion[];
}

/**
 * What a user may choose when creating a dev server: enabled runtimes and addons with their
 * enabled versions. A runtime without an enabled version is left out.
 */
export async function getRuntimeCatalog({
  prisma,
}: {
  prisma: PrismaClient;
}): Promise<CatalogRuntime[]> {
  const rows = await prisma.runtime.findMany({
    where: { enabled: true },
    include: { versions: { where: { enabled: true } } },
    orderBy: [{ kind: "desc" }, { displayName: "asc" }],
  });
  return rows
    .filter((r) => r.versions.length > 0)
    .map((r) => ({
      id: r.id,
      name: r.name,
      displayName: r.displayName,
      kind: toRuntimeKind(r.kind),
      versions: [...r.versions].sort(compareVersions).map((v) => ({
        id: v.id,
        version: v.version,
        isDefault: v.isDefault,
        deprecated: v.deprecated,
      })),
    }));
}
