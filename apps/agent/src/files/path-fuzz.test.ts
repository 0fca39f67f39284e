// Path-traversal fuzz: thousands of hostile paths and hostile archive entries, generated from a
// seeded PRNG (reproducible: the seed is in the test name), thrown at every file operation on a
// real folder whose surroundings hold canaries. After every attempt nothing outside the root was
// created, read, changed or deleted, and every refusal is a FileError with a short clear message.
import { createHash } from "node:crypto";
import type { Stats } from "node:fs";
import {
  lstat,
  mkdir,
  mkdtemp,
  readFile,
  readdir,
  readlink,
  realpath,
  rm,
  symlink,
  writeFile,
} from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FileOperation, FileResult } from "@berth/protocol";
import { rawTarball, type RawEntry } from "../runtimes/test-artifacts";
import type { FileRoot } from "./file-root";
import { runFileOperation } from "./run-file-operation";
import { FileError, isInside } from "./server-paths";
import { rawZip, type RawZipEntry } from "./test-archives";

const SEED = 0x8e57_2026;
const PATH_ATTEMPTS = 1200;
const ARCHIVE_ATTEMPTS = 300; // of each format
const SECRET = "CANARY-SECRET-7f3a";
const CANARY_NAME = "CANARY_OUTSIDE.txt";
/** A name only the surroundings have: a listing showing it listed something outside. */
const OUTSIDE_ONLY = "ONLY_OUTSIDE_5c1d";
/** Every name an attempt may create carries this, so escapes above the sandbox can be searched. */
const MARK = "pwn8e57";

/** mulberry32: small, seeded, good enough to pick pieces. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let sandbox: string;
/** sandbox/l1/l2/data: three levels of surroundings to climb into. */
let root: string;
let outside: string;
let where: FileRoot;
let baseline: Map<string, string>;

/** Pieces hostile paths are made of. */
function pieces(): string[] {
  return [
    "..",
    ".",
    "...",
    "",
    "%2e%2e",
    "%2E%2E",
    "%2e%2e%2f",
    "..%2f",
    "%2f",
    "%252e%252e",
    "%252e%252e%252f",
    "..%252f",
    "%c0%ae%c0%ae",
    "..%c0%af",
    "\u2215",
    "..\u2215..",
    "\u2215etc\u2215passwd",
    "\uff0f",
    "\uff0e\uff0e",
    "\uff0e\uff0e\uff0f",
    "\u2024\u2024",
    "\u2025",
    "\u2026",
    "..\\",
    "\\..\\",
    "C:",
    "C:\\Windows",
    "~",
    "~root",
    "$HOME",
    "out",
    "abs",
    "etc",
    "chain1",
    "linkToOut",
    "dirlink",
    "sub",
    "up",
    "up2",
    "loop1",
    "dangling",
    "selfdir",
    "file.txt",
    "outside",
    CANARY_NAME,
    MARK,
    `${MARK}-a`,
    "x\u0000y",
    "\u0000",
    "\u0001",
    "\u001b[2J",
    "\u007f",
    "\u0085",
    "\u200b",
    "\u202e",
    "\ud800",
    "\udfff",
    "a".repeat(256),
    "\u00e9".repeat(130),
    `${MARK}`.repeat(40),
    " ",
    "..\u0000",
    ". .",
  ];
}

function hostilePath(rand: () => number): string {
  const all = pieces();
  const pick = <T>(list: T[]): T => list[Math.floor(rand() * list.length)]!;
  const count = 1 + Math.floor(rand() * 6);
  const parts: string[] = [];
  for (let i = 0; i < count; i++) parts.push(pick(all));
  // Something to create at the end most of the time, so an escape would leave a trace.
  if (rand() < 0.6) parts.push(`${MARK}-${Math.floor(rand() * 1e6)}`);
  let joined = parts.join(pick(["/", "/", "/", "//", "/./"]));
  const r = rand();
  if (r < 0.12) joined = `/${joined}`;
  else if (r < 0.2) joined = `./${joined}`;
  else if (r < 0.25) joined = `${path.join(sandbox, "outside")}/${joined}`;
  else if (r < 0.28) joined = `${"../".repeat(1 + Math.floor(rand() * 6))}${joined}`;
  else if (r < 0.3) joined = `${"x/".repeat(2100)}${MARK}`; // over-long path
  if (rand() < 0.1) joined += "/";
  return joined;
}

/** The fixed hostile cases every run includes, before the random ones. */
function knownHostilePaths(): string[] {
  return [
    "..",
    "../",
    "../outside/" + CANARY_NAME,
    "../../../outside/" + CANARY_NAME,
    "a/../../" + MARK,
    "sub/../../" + MARK,
    "%2e%2e/%2e%2e/%2e%2e/outside/" + CANARY_NAME,
    "%2e%2e%2f%2e%2e%2f" + MARK,
    "%252e%252e%252f" + MARK,
    "..%2f..%2f" + MARK,
    "\u2215..\u2215..\u2215" + MARK,
    "\uff0e\uff0e/\uff0e\uff0e/" + MARK,
    "/etc/passwd",
    "//etc/passwd",
    path.join(sandbox, "outside", CANARY_NAME),
    "out/" + CANARY_NAME,
    "out/" + MARK,
    "abs/" + CANARY_NAME,
    "etc/hostname",
    "chain1/" + CANARY_NAME,
    "chain1/" + MARK,
    "linkToOut/" + MARK,
    "linkToOut",
    "dirlink/../../" + MARK,
    "dirlink/up2/" + MARK,
    "sub/up2/" + MARK,
    "sub/up/up/up2/" + MARK,
    "loop1/" + MARK,
    "dangling",
    "selfdir/selfdir/out/" + MARK,
    "file.txt\u0000.png",
    "..\\..\\" + MARK,
    "C:\\" + MARK,
    "a".repeat(300),
    "x/".repeat(3000),
  ];
}

/** Rebuilds the root: real files and folders, and links in and out of it. */
async function buildRoot(): Promise<void> {
  // The root's contents go, not the root: its parent's mtime is watched too.
  await mkdir(root, { recursive: true });
  for (const name of await readdir(root)) {
    await rm(path.join(root, name), { recursive: true, force: true });
  }
  await mkdir(path.join(root, "sub"));
  await writeFile(path.join(root, "file.txt"), "inside\n");
  await writeFile(path.join(root, "sub", "file.txt"), "sub\n");
  await mkdir(path.join(root, "seed", "deep"), { recursive: true });
  await writeFile(path.join(root, "seed", "deep", "a.txt"), "seed\n");
  await writeFile(path.join(root, "victim.txt"), "victim\n");
  await symlink("../../../outside", path.join(root, "out"));
  await symlink(outside, path.join(root, "abs"));
  await symlink("/etc", path.join(root, "etc"));
  await symlink("chain2", path.join(root, "chain1"));
  await symlink("chain3", path.join(root, "chain2"));
  await symlink("../../../outside", path.join(root, "chain3"));
  await symlink("out", path.join(root, "linkToOut"));
  await symlink("sub", path.join(root, "dirlink"));
  await symlink("..", path.join(root, "sub", "up"));
  await symlink("../..", path.join(root, "sub", "up2"));
  await symlink("loop2", path.join(root, "loop1"));
  await symlink("loop1", path.join(root, "loop2"));
  await symlink(`../../../outside/${MARK}-dangling`, path.join(root, "dangling"));
  await symlink(".", path.join(root, "selfdir"));
  await mkdir(path.join(root, "arch"));
  await writeFile(path.join(root, "arch", "good.zip"), rawZip([{ name: "ok.txt", body: "ok" }]));
  await writeFile(
    path.join(root, "arch", "good.tar.gz"),
    rawTarball([{ path: "ok.txt", body: "ok" }]),
  );
}

/** Everything in the sandbox except the root and the scratch folder: type, size, content. */
async function surroundings(): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const skip = new Set([root, where.scratch!]);
  const walk = async (dir: string) => {
    for (const name of await readdir(dir)) {
      const full = path.join(dir, name);
      if (skip.has(full)) continue;
      const info: Stats = await lstat(full);
      if (info.isSymbolicLink()) out.set(full, `link ${await readlink(full)}`);
      else if (info.isDirectory()) {
        out.set(full, `dir ${info.mode & 0o7777} ${info.mtimeMs}`);
        await walk(full);
      } else {
        const hash = createHash("sha256")
          .update(await readFile(full))
          .digest("hex");
        out.set(full, `file ${info.mode & 0o7777} ${info.size} ${info.mtimeMs} ${hash}`);
      }
    }
  };
  await walk(sandbox);
  return out;
}

/** Names carrying the mark above the sandbox: the temp dir and /. */
async function markedAbove(): Promise<string[]> {
  const found: string[] = [];
  for (const dir of [os.tmpdir(), "/", "/etc", path.dirname(sandbox)]) {
    for (const name of await readdir(dir).catch(() => [] as string[])) {
      if (name.includes(MARK)) found.push(path.join(dir, name));
    }
  }
  return found;
}

async function expectNoEscape(context: string): Promise<void> {
  const now = await surroundings();
  const changed = [...new Set([...baseline.keys(), ...now.keys()])].filter(
    (key) => baseline.get(key) !== now.get(key),
  );
  expect(changed, context).toEqual([]);
  expect(await readdir(where.scratch!), `${context}: scratch left over`).toEqual([]);
}

/**
 * `echoes`: the refusal may quote what the request brought (an archive's entry names and link
 * targets), so only the node's own folders are looked for.
 */
function expectClearRefusal(error: unknown, context: string, echoes: boolean): void {
  expect(error, context).toBeInstanceOf(FileError);
  const { message, code } = error as FileError;
  expect(message.length, context).toBeGreaterThan(0);
  expect(message.length, `${context}: ${message}`).toBeLessThan(400);
  expect(message, context).not.toContain(root);
  expect(message, context).not.toContain(where.scratch!);
  if (!echoes) {
    expect(message, context).not.toContain(sandbox);
    expect(message, context).not.toContain(os.tmpdir() + "/");
  }
  expect(message, context).not.toMatch(/\n\s+at |Error:|undefined|\[object/);
  expect(["BAD_REQUEST", "FORBIDDEN", "NOT_FOUND", "CONFLICT"], `${context}: ${message}`).toContain(
    code,
  );
}

/** What a success may never show: the canaries' content or a name only the surroundings have. */
function expectNothingLeaked(result: FileResult, context: string): void {
  const text = JSON.stringify(result);
  expect(text, context).not.toContain(SECRET);
  expect(text, context).not.toContain(OUTSIDE_ONLY);
}

async function attempt(
  operation: FileOperation,
  context: string,
  echoes = false,
): Promise<"ok" | "refused"> {
  let outcome: "ok" | "refused";
  try {
    const result = await runFileOperation(where, operation);
    expectNothingLeaked(result, context);
    outcome = "ok";
  } catch (error) {
    expectClearRefusal(error, context, echoes);
    outcome = "refused";
  }
  await expectNoEscape(context);
  return outcome;
}

beforeAll(async () => {
  sandbox = await realpath(await mkdtemp(path.join(os.tmpdir(), "berth-fuzz-")));
  outside = path.join(sandbox, "outside");
  root = path.join(sandbox, "l1", "l2", "data");
  await mkdir(path.join(outside, "folder"), { recursive: true });
  await writeFile(path.join(outside, CANARY_NAME), SECRET);
  await writeFile(path.join(outside, "folder", CANARY_NAME), SECRET);
  await writeFile(path.join(outside, OUTSIDE_ONLY), SECRET);
  await symlink("/etc/hostname", path.join(outside, "link-out"));
  await writeFile(path.join(sandbox, CANARY_NAME), SECRET);
  await mkdir(path.join(sandbox, "l1", "l2"), { recursive: true });
  await writeFile(path.join(sandbox, "l1", CANARY_NAME), SECRET);
  await writeFile(path.join(sandbox, "l1", "l2", OUTSIDE_ONLY), SECRET);
  await writeFile(path.join(sandbox, "l1", "l2", CANARY_NAME), SECRET);
  where = { root, owner: null, scratch: path.join(sandbox, "scratch") };
  await mkdir(where.scratch!);
  await buildRoot();
  baseline = await surroundings();
  expect(await markedAbove()).toEqual([]);
});
afterAll(async () => {
  await rm(sandbox, { recursive: true, force: true });
});

describe(`path-traversal fuzz (seed ${SEED.toString(16)})`, () => {
  it(`${PATH_ATTEMPTS} hostile paths through every operation: 0 escapes`, async () => {
    const rand = prng(SEED);
    const known = knownHostilePaths();
    const outcomes = { ok: 0, refused: 0 };
    const ops: Array<(p: string, i: number) => FileOperation> = [
      (p) => ({ op: "list", path: p }),
      (p) => ({ op: "read", path: p }),
      (p) => ({ op: "write", path: p, content: `${MARK} written` }),
      (p) => ({ op: "mkdir", path: p }),
      (p) => ({ op: "delete", paths: [p] }),
      (p, i) => ({ op: "rename", from: p, to: `${MARK}-moved-${i}` }),
      (p) => ({ op: "rename", from: "victim.txt", to: p }),
      (p) => ({ op: "copy", from: "seed", to: p }),
      (p, i) => ({ op: "copy", from: p, to: `${MARK}-copy-${i}` }),
      (p, i) => ({ op: "compress", paths: [p], to: `${MARK}-${i}.tar.gz`, format: "tar.gz" }),
      (p, i) => ({ op: "compress", paths: [p], to: `${MARK}-${i}.zip`, format: "zip" }),
      (p) => ({ op: "compress", paths: ["seed"], to: p, format: rand() < 0.5 ? "zip" : "tar.gz" }),
      (p) => ({ op: "extract", path: rand() < 0.5 ? "arch/good.zip" : "arch/good.tar.gz", to: p }),
      (p, i) => ({ op: "extract", path: p, to: `${MARK}-x-${i}` }),
    ];
    for (let i = 0; i < PATH_ATTEMPTS; i++) {
      // Fresh hostile links now and then: successful operations move and delete them.
      if (i % 40 === 0) {
        await buildRoot();
      }
      const userPath = i < known.length * 3 ? known[i % known.length]! : hostilePath(rand);
      const make =
        i < known.length * 3 ? ops[(i * 5) % ops.length]! : ops[Math.floor(rand() * ops.length)]!;
      const operation = make(userPath, i);
      outcomes[await attempt(operation, `#${i} ${JSON.stringify(operation).slice(0, 300)}`)]++;
      if (i % 100 === 0) expect(await markedAbove(), `#${i}`).toEqual([]);
    }
    // Every known case again through every operation.
    for (const userPath of known) {
      await buildRoot();
      for (const make of ops) {
        const operation = make(userPath, 0);
        outcomes[await attempt(operation, `known ${JSON.stringify(operation).slice(0, 300)}`)]++;
      }
    }
    expect(await markedAbove()).toEqual([]);
    // Both outcomes happen: literal look-alikes are names inside the root, the rest is refused.
    expect(outcomes.ok).toBeGreaterThan(50);
    expect(outcomes.refused).toBeGreaterThan(PATH_ATTEMPTS / 2);
  }, 240_000);

  it(`${ARCHIVE_ATTEMPTS} hostile .tar.gz and ${ARCHIVE_ATTEMPTS} hostile .zip: 0 escapes, refusals leave the root as it was`, async () => {
    const rand = prng(SEED ^ 0x5a5a);
    const pick = <T>(list: T[]): T => list[Math.floor(rand() * list.length)]!;
    const linkTargets = [
      "../../../outside",
      `../../../outside/${CANARY_NAME}`,
      "/var/../etc",
      "/etc",
      "/",
      "..",
      "../..",
      "sub/../..",
      "a/../../..",
      ".",
      "sub",
      "out",
      "chain1",
      "x/../../outside",
      "%2e%2e/%2e%2e",
      "\u2215etc",
    ];
    const entryName = (): string => {
      const r = rand();
      if (r < 0.5) return hostilePath(rand).replace(/\0/g, "");
      return pick([
        "l",
        "l/" + MARK,
        "d",
        "d/../../" + MARK,
        "x",
        "x/y",
        "x/y/" + MARK,
        "a/b/c",
        MARK,
        "out/" + MARK,
        "sub/up2/" + MARK,
        "../" + MARK,
        "/" + MARK,
        "./" + MARK,
      ]);
    };
    // Sequences that combine entries into the classic attacks.
    const classicTar = (): RawEntry[] =>
      pick([
        [
          { path: "l", type: "SymbolicLink", linkpath: "../../../outside" },
          { path: "l/" + MARK, body: "x" },
        ],
        [
          { path: "d", type: "SymbolicLink", linkpath: "sub" },
          { path: "d/../../" + MARK, body: "x" },
        ],
        [
          { path: "a", type: "SymbolicLink", linkpath: "b" },
          { path: "b", type: "SymbolicLink", linkpath: "../../.." },
          { path: "a/" + MARK, body: "x" },
        ],
        [
          { path: "x", type: "Directory" },
          { path: "x/y", type: "SymbolicLink", linkpath: "../../.." },
        ],
        [
          { path: "s", type: "SymbolicLink", linkpath: "." },
          { path: "s/s/s/" + MARK, body: "x" },
        ],
        [{ path: "h", type: "Link", linkpath: `../../../outside/${CANARY_NAME}` }],
        [
          { path: "l", type: "SymbolicLink", linkpath: "sub" },
          { path: "h", type: "Link", linkpath: "l" },
        ],
        [
          { path: "l", type: "SymbolicLink", linkpath: "../../../outside" },
          { path: "l", body: "replaced" },
        ],
        [{ path: "dev", type: "CharacterDevice" }],
        [
          { path: MARK + "/f", body: "late link" },
          { path: MARK, type: "SymbolicLink", linkpath: "/etc" },
        ],
      ] as RawEntry[][]);
    const randomTarEntry = (): RawEntry => {
      const r = rand();
      if (r < 0.4) return { path: entryName(), body: `${MARK}` };
      if (r < 0.55) return { path: entryName(), type: "Directory" };
      if (r < 0.85) return { path: entryName(), type: "SymbolicLink", linkpath: pick(linkTargets) };
      return { path: entryName(), type: "Link", linkpath: pick([...linkTargets, "ok.txt"]) };
    };
    const classicZip = (): RawZipEntry[] =>
      pick([
        [
          { name: "l", type: "SymbolicLink", body: "../../../outside" },
          { name: "l/" + MARK, body: "x" },
        ],
        [
          { name: "a", type: "SymbolicLink", body: "b" },
          { name: "b", type: "SymbolicLink", body: "../../.." },
          { name: "a/" + MARK, body: "x" },
        ],
        [
          { name: "l", type: "SymbolicLink", body: "sub" },
          { name: "l", body: "replaced" },
        ],
        [{ name: "..\\..\\" + MARK, body: "x" }],
        [{ name: "C:\\" + MARK, body: "x" }],
        [{ name: "/" + MARK, body: "x" }],
        [{ name: "fifo", type: "Fifo" }],
        [
          { name: MARK + "/f", body: "late link" },
          { name: MARK, type: "SymbolicLink", body: "/etc" },
        ],
      ] as RawZipEntry[][]);
    const randomZipEntry = (): RawZipEntry => {
      const r = rand();
      if (r < 0.45) return { name: entryName(), body: MARK };
      if (r < 0.6) return { name: `${entryName()}/`, type: "Directory" };
      return { name: entryName(), type: "SymbolicLink", body: pick(linkTargets) };
    };

    const outcomes = { ok: 0, refused: 0 };
    await buildRoot();
    for (let i = 0; i < ARCHIVE_ATTEMPTS * 2; i++) {
      if (i % 20 === 0) await buildRoot();
      const zip = i % 2 === 1;
      const count = 1 + Math.floor(rand() * 3);
      const file = `arch/${MARK}-${i}.${zip ? "zip" : "tar.gz"}`;
      if (zip) {
        const entries: RawZipEntry[] = [{ name: "ok.txt", body: "ok" }];
        if (rand() < 0.4) entries.push(...classicZip());
        for (let k = 0; k < count; k++) entries.push(randomZipEntry());
        await writeFile(path.join(root, file), rawZip(entries));
      } else {
        const entries: RawEntry[] = [{ path: "ok.txt", body: "ok" }];
        if (rand() < 0.4) entries.push(...classicTar());
        for (let k = 0; k < count; k++) entries.push(randomTarEntry());
        await writeFile(path.join(root, file), rawTarball(entries));
      }
      const to = pick(["", "sub", `${MARK}-dest-${i}`, "dirlink", "out", "seed/deep"]);
      const before = await rootSnapshot();
      const context = `archive #${i} ${file} -> ${JSON.stringify(to)}`;
      const outcome = await attempt({ op: "extract", path: file, to }, context, true);
      outcomes[outcome]++;
      if (outcome === "refused") {
        expect(await rootSnapshot(), `${context}: a refusal changed the root`).toEqual(before);
      } else {
        await expectLinksInside(context);
      }
    }
    expect(await markedAbove()).toEqual([]);
    expect(outcomes.ok).toBeGreaterThan(10);
    expect(outcomes.refused).toBeGreaterThan(ARCHIVE_ATTEMPTS / 2);
  }, 240_000);
});

/** The root's tree (names, types, contents, link targets). */
async function rootSnapshot(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (dir: string, prefix: string) => {
    for (const name of (await readdir(dir)).sort()) {
      const full = path.join(dir, name);
      const info = await lstat(full);
      if (info.isSymbolicLink()) out[prefix + name] = `-> ${await readlink(full)}`;
      else if (info.isDirectory()) {
        out[`${prefix}${name}/`] = "dir";
        await walk(full, `${prefix}${name}/`);
      } else out[prefix + name] = `${info.size}`;
    }
  };
  await walk(root, "");
  return out;
}

/** After a successful extraction, no link the fixture did not make leads outside the root. */
async function expectLinksInside(context: string): Promise<void> {
  const fixtureLinks = new Set([
    "out",
    "abs",
    "etc",
    "chain1",
    "chain2",
    "chain3",
    "linkToOut",
    "dirlink",
    "sub/up",
    "sub/up2",
    "loop1",
    "loop2",
    "dangling",
    "selfdir",
  ]);
  const snapshot = await rootSnapshot();
  for (const [name, value] of Object.entries(snapshot)) {
    if (!value.startsWith("-> ") || fixtureLinks.has(name)) continue;
    const target = value.slice(3);
    const named = path.resolve(path.dirname(path.join(root, name)), target);
    const real = await realpath(path.join(root, name)).catch(() => null);
    const inside =
      !path.isAbsolute(target) && isInside(root, named) && (real === null || isInside(root, real));
    expect(inside, `${context}: ${name} -> ${target}`).toBe(true);
  }
}
