// Real jars for the tests, written with a zip library: a jar is a zip with its metadata inside.
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { strToU8, zipSync } from "fflate";

/** Writes a jar holding `files` (name → text), deflated like a build tool would. */
export async function writeJar(file: string, files: Record<string, string>): Promise<string> {
  await mkdir(path.dirname(file), { recursive: true });
  const entries = Object.fromEntries(
    Object.entries(files).map(([name, text]) => [name, strToU8(text)]),
  );
  await writeFile(file, zipSync({ "META-INF/": {}, ...entries }, { level: 6 }));
  return file;
}

export const fabricJar = (id: string, extra: Record<string, unknown> = {}) => ({
  "fabric.mod.json": JSON.stringify({ schemaVersion: 1, id, version: "1.0.0", ...extra }),
  [`${id}/Main.class`]: "\u00ca\u00fe\u00ba\u00be",
});

export const pluginJar = (name: string, yml = "") => ({
  "plugin.yml": `name: ${name}\nversion: 1.0\nmain: example.${name}\n${yml}`,
});
