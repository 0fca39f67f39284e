import { TEXT_FILE_MAX_BYTES } from "@berth/protocol";

/** The editor languages Berth knows; "plain" has no highlighting. */
export type EditorLanguage =
  | "json"
  | "yaml"
  | "javascript"
  | "typescript"
  | "python"
  | "properties"
  | "toml"
  | "shell"
  | "plain";

const LANGUAGES: Record<string, EditorLanguage> = {
  json: "json",
  json5: "json",
  mcmeta: "json",
  yml: "yaml",
  yaml: "yaml",
  js: "javascript",
  mjs: "javascript",
  cjs: "javascript",
  jsx: "javascript",
  ts: "typescript",
  mts: "typescript",
  cts: "typescript",
  tsx: "typescript",
  py: "python",
  properties: "properties",
  ini: "properties",
  cfg: "properties",
  conf: "properties",
  env: "properties",
  toml: "toml",
  sh: "shell",
  bash: "shell",
};

/** Other extensions that are text without highlighting. */
const PLAIN_TEXT = new Set([
  "txt",
  "log",
  "md",
  "csv",
  "xml",
  "html",
  "css",
  "lang",
  "mcfunction",
  "sk",
  "secret",
  "gitignore",
  "dockerignore",
  "lock",
]);

const IMAGES = new Set(["png", "jpg", "jpeg", "gif", "webp", "svg", "bmp", "ico", "avif"]);

/** Archives the agent can extract. */
const ARCHIVES = [".tar.gz", ".tgz", ".zip"];

/** Names without an extension that are text. */
const TEXT_NAMES = new Set(["dockerfile", "makefile", "eula", "license", "readme"]);

/** The lower-case extension of a file name, without the dot ("" for none; ".env" is "env"). */
export function extensionOf(name: string): string {
  const dot = name.lastIndexOf(".");
  if (dot < 0 || dot === name.length - 1) return "";
  return name.slice(dot + 1).toLowerCase();
}

/** The editor's language for a file name. */
export function languageOf(name: string): EditorLanguage {
  return LANGUAGES[extensionOf(name)] ?? "plain";
}

export function isImage(name: string): boolean {
  return IMAGES.has(extensionOf(name));
}

export function isArchive(name: string): boolean {
  const lower = name.toLowerCase();
  return ARCHIVES.some((ext) => lower.endsWith(ext));
}

/** Whether opening the file should go to the text editor (small, and text by its name). */
export function isEditable(name: string, size: number): boolean {
  if (size > TEXT_FILE_MAX_BYTES) return false;
  const ext = extensionOf(name);
  if (ext in LANGUAGES || PLAIN_TEXT.has(ext)) return true;
  return ext === "" && TEXT_NAMES.has(name.toLowerCase());
}

/** What a click on a file does. */
export function openActionOf(name: string, size: number): "edit" | "preview" | "download" {
  if (isImage(name)) return "preview";
  if (isEditable(name, size)) return "edit";
  return "download";
}
