import type { Prisma } from "@berth/db";

export interface RuntimeVersionView {
  id: string;
  version: string;
  artifactUrl: string;
  sha256: string;
  sizeBytes: number;
  binPath: string;
  enabled: boolean;
  deprecated: boolean;
  isDefault: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface RuntimeView {
  id: string;
  name: string;
  displayName: string;
  kind: "runtime" | "addon";
  enabled: boolean;
  createdAt: Date;
  updatedAt: Date;
  versions: RuntimeVersionView[];
}

type VersionRow = Prisma.RuntimeVersionGetPayload<object>;
type RuntimeRow = Prisma.RuntimeGetPayload<{ include: { versions: true } }>;

export const toRuntimeVersionView = (v: VersionRow): RuntimeVersionView => ({
  id: v.id,
  version: v.version,
  artifactUrl: v.artifactUrl,
  sha256: v.sha256,
  // Artifacts are far below 2^53 bytes; the input schema caps the size there.
  sizeBytes: Number(v.sizeBytes),
  binPath: v.binPath,
  enabled: v.enabled,
  deprecated: v.deprecated,
  isDefault: v.isDefault,
  createdAt: v.createdAt,
  updatedAt: v.updatedAt,
});

export const toRuntimeKind = (kind: string): "runtime" | "addon" =>
  kind === "addon" ? "addon" : "runtime";

/** Default first, then current before deprecated, then newest first. */
export function compareVersions(
  a: Pick<VersionRow, "isDefault" | "deprecated" | "createdAt">,
  b: Pick<VersionRow, "isDefault" | "deprecated" | "createdAt">,
): number {
  if (a.isDefault !== b.isDefault) return a.isDefault ? -1 : 1;
  if (a.deprecated !== b.deprecated) return a.deprecated ? 1 : -1;
  return b.createdAt.getTime() - a.createdAt.getTime();
}

export const toRuntimeView = (r: RuntimeRow): RuntimeView => ({
  id: r.id,
  name: r.name,
  displayName: r.displayName,
  kind: toRuntimeKind(r.kind),
  enabled: r.enabled,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
  versions: [...r.versions].sort(compareVersions).map(toRuntimeVersionView),
});
