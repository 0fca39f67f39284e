/**
 * docker-compose.yml and the Dockerfiles it builds. The images cannot be built without a registry
 * for their base images, so this checks what can be checked offline: Compose accepts the file (and
 * rejects broken ones), the services are wired as documented, and every file a Dockerfile copies
 * is in the build context.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join, posix, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeIf, hasCommand } from "./require-dependency";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const composeFile = join(repoRoot, "docker-compose.yml");
const requiredEnv = {
  POSTGRES_PASSWORD: "compose-test-password",
  BERTH_SECRET: "compose-test-secret-at-least-32-characters",
  DOCKER_GID: "4242",
};
const TIMEOUT_MS = 60_000;

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile?: string };
  depends_on?: Record<string, { condition?: string }>;
  environment?: Record<string, string | null>;
  volumes?: (string | { type?: string; source?: string; target?: string })[];
  healthcheck?: { test?: string[] };
  group_add?: (string | number)[];
  ports?: unknown[];
}

interface ComposeConfig {
  services: Record<string, ComposeService>;
}

let scratch = "";

/** Runs docker-compose with only PATH, HOME and `env`: nothing leaks in from the shell or a .env. */
function compose(file: string, env: Record<string, string>, ...args: string[]) {
  const emptyEnvFile = join(scratch, "empty.env");
  const childEnv: NodeJS.ProcessEnv = {
    NODE_ENV: "test",
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? scratch,
    ...env,
  };
  const result = spawnSync(
    "docker-compose",
    ["--project-directory", repoRoot, "--env-file", emptyEnvFile, "-f", file, ...args],
    {
      encoding: "utf8",
      env: childEnv,
      timeout: TIMEOUT_MS,
    },
  );
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * Compose 1.x prints its resolved config as YAML only; its own Python (which ships PyYAML)
 * turns that into JSON.
 */
function yamlToJson(yaml: string): unknown {
  const composeBin = (process.env.PATH ?? "")
    .split(delimiter)
    .map((dir) => join(dir, "docker-compose"))
    .find((file) => existsSync(file));
  const shebang = composeBin
    ? /^#!\s*(\S+)/.exec(readFileSync(composeBin, "utf8").slice(0, 200))
    : null;
  const python = shebang?.[1] ?? "python3";
  const result = spawnSync(
    python,
    ["-c", "import json, sys, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)"],
    { input: yaml, encoding: "utf8", timeout: TIMEOUT_MS },
  );
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`YAML → JSON failed: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

interface Instruction {
  keyword: string;
  args: string;
}

/** Dockerfile instructions with continuation lines joined and comments dropped. */
function parseDockerfile(text: string): Instruction[] {
  const instructions: Instruction[] = [];
  let pending = "";
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (!pending && (line === "" || line.startsWith("#"))) continue;
    if (line.startsWith("#")) continue;
    if (line.endsWith("\\")) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    const full = (pending + line).trim();
    pending = "";
    const match = /^(\S+)\s*(.*)$/.exec(full);
    if (match) instructions.push({ keyword: match[1]!.toUpperCase(), args: match[2]! });
  }
  return instructions;
}

/** Sources of the COPY/ADD instructions that read from the build context (not from a stage). */
function contextSources(instructions: Instruction[]): string[] {
  const sources: string[] = [];
  for (const { keyword, args } of instructions) {
    if (keyword !== "COPY" && keyword !== "ADD") continue;
    const flags = args.match(/^(--\S+\s+)*/)?.[0] ?? "";
    if (/--from=/.test(flags)) continue;
    const rest = args.slice(flags.length).trim();
    const words: string[] = rest.startsWith("[") ? JSON.parse(rest) : rest.split(/\s+/);
    sources.push(...words.slice(0, -1));
  }
  return sources;
}

function globToRegExp(pattern: string): RegExp {
  let re = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "*" && pattern[i + 1] === "*") {
      re += ".*";
      i++;
      if (pattern[i + 1] === "/") i++;
    } else if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else re += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}

/** Whether .dockerignore keeps `path` (relative to the context) out of the build context. */
function isIgnored(path: string, dockerignore: string): boolean {
  const rules = dockerignore
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith("#"))
    .map((line) => {
      const negated = line.startsWith("!");
      const pattern = posix.normalize((negated ? line.slice(1) : line).replace(/^\/+/, ""));
      return { negated, re: globToRegExp(pattern) };
    });
  const parts = posix.normalize(path).split("/");
  let ignored = false;
  for (const rule of rules) {
    // A rule matching a parent folder covers everything below it.
    for (let n = 1; n <= parts.length; n++) {
      if (rule.re.test(parts.slice(0, n).join("/"))) {
        ignored = !rule.negated;
        break;
      }
    }
  }
  return ignored;
}

function sourceExists(context: string, source: string): boolean {
  if (!/[*?[]/.test(source)) return existsSync(join(context, source));
  const dir = join(context, posix.dirname(source));
  const re = globToRegExp(posix.basename(source));
  return existsSync(dir) && readdirSync(dir).some((name) => re.test(name));
}

const composeDep = {
  name: "docker-compose",
  available: hasCommand("docker-compose"),
  why: "validates docker-compose.yml with Compose itself (apt-get install docker-compose)",
};

describeIf(composeDep)("docker-compose.yml", () => {
  let config: ComposeConfig;

  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), "berth-compose-"));
    writeFileSync(join(scratch, "empty.env"), "");
    const result = compose(composeFile, requiredEnv, "config");
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    config = yamlToJson(result.stdout) as ComposeConfig;
  }, TIMEOUT_MS);

  afterAll(() => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it(
    "passes `docker-compose config -q` with the required variables",
    () => {
      const result = compose(composeFile, requiredEnv, "config", "-q");
      expect(result.stderr).toBe("");
      expect(result.status).toBe(0);
    },
    TIMEOUT_MS,
  );

  it("defines postgres, redis, portal and agent", () => {
    expect(Object.keys(config.services).sort()).toEqual(["agent", "portal", "postgres", "redis"]);
    expect(config.services.postgres?.image).toBe("postgres:17");
    expect(config.services.redis?.image).toBe("redis:7");
  });

  it("starts the portal only once postgres is healthy", () => {
    const { portal, postgres } = config.services;
    expect(portal?.depends_on?.postgres?.condition).toBe("service_healthy");
    expect(postgres?.healthcheck?.test?.length).toBeGreaterThan(0);
  });

  it("gives the portal its database, redis, secret and port", () => {
    const env = config.services.portal?.environment ?? {};
    expect(env.DATABASE_URL).toMatch(/^postgresql:\/\/.+@postgres:5432\//);
    expect(env.DATABASE_URL).toContain(requiredEnv.POSTGRES_PASSWORD);
    expect(env.REDIS_URL).toBe("redis://redis:6379");
    expect(env.BERTH_SECRET).toBe(requiredEnv.BERTH_SECRET);
    expect(env.PORT).toBe("3000");
    expect(JSON.stringify(config.services.portal?.ports)).toContain("3000");
  });

  it("mounts the Docker socket and a data volume into the agent", () => {
    const agent = config.services.agent;
    const mounts = (agent?.volumes ?? []).map((v) =>
      typeof v === "string" ? v : `${v.source}:${v.target}`,
    );
    expect(mounts.some((m) => m.startsWith("/var/run/docker.sock:/var/run/docker.sock"))).toBe(
      true,
    );
    const dataDir = agent?.environment?.BERTH_AGENT_DATA_DIR;
    expect(dataDir).toBeTruthy();
    expect(mounts.some((m) => m.split(":")[1] === dataDir)).toBe(true);
    expect(agent?.environment?.BERTH_PORTAL_URL).toBe("http://portal:3000");
    expect(agent?.environment).toHaveProperty("BERTH_ENROLL_TOKEN");
    // The agent runs as a non-root user: it reaches the socket through the socket's group.
    expect(agent?.group_add?.map(String)).toContain(requiredEnv.DOCKER_GID);
  });

  it.each(Object.keys(requiredEnv))(
    "rejects the file when %s is missing",
    (name) => {
      const env: Record<string, string> = { ...requiredEnv };
      delete env[name];
      const result = compose(composeFile, env, "config", "-q");
      expect(result.status).not.toBe(0);
      expect(result.stderr).toContain(`set ${name}`);
    },
    TIMEOUT_MS,
  );

  it(
    "rejects a copy with a misspelt key",
    () => {
      const original = readFileSync(composeFile, "utf8");
      const broken = original.replace(/^(\s+)depends_on:/m, "$1depends_onn:");
      expect(broken).not.toBe(original);
      const brokenFile = join(scratch, "broken.yml");
      writeFileSync(brokenFile, broken);
      const result = compose(brokenFile, requiredEnv, "config", "-q");
      expect(result.status).not.toBe(0);
      expect(result.stderr).toContain("depends_onn");
    },
    TIMEOUT_MS,
  );

  it("builds from Dockerfiles that exist, with every COPY source in the build context", () => {
    const built = Object.entries(config.services).filter(([, service]) => service.build);
    expect(built.map(([name]) => name).sort()).toEqual(["agent", "portal"]);
    for (const [name, service] of built) {
      const context = resolve(repoRoot, service.build!.context);
      const dockerfile = resolve(context, service.build!.dockerfile ?? "Dockerfile");
      expect(existsSync(dockerfile), `${name}: ${dockerfile}`).toBe(true);

      const dockerignorePath = join(context, ".dockerignore");
      const dockerignore = existsSync(dockerignorePath)
        ? readFileSync(dockerignorePath, "utf8")
        : "";
      const sources = contextSources(parseDockerfile(readFileSync(dockerfile, "utf8")));
      expect(sources.length, `${name}: COPY instructions`).toBeGreaterThan(0);
      for (const source of sources) {
        expect(sourceExists(context, source), `${name}: COPY ${source} is missing`).toBe(true);
        if (source !== ".") {
          expect(isIgnored(source, dockerignore), `${name}: ${source} is in .dockerignore`).toBe(
            false,
          );
        }
      }
    }
  });

  it("builds images that start from node:20-bookworm-slim and run as a non-root user", () => {
    for (const [name, service] of Object.entries(config.services)) {
      if (!service.build) continue;
      const dockerfile = resolve(repoRoot, service.build.context, service.build.dockerfile ?? "");
      const instructions = parseDockerfile(readFileSync(dockerfile, "utf8"));
      const defaultBase = instructions
        .filter((i) => i.keyword === "ARG")
        .map((i) => /^NODE_IMAGE=(\S+)/.exec(i.args)?.[1])
        .find(Boolean);
      expect(defaultBase, `${name}: base image`).toBe("node:20-bookworm-slim");
      const stages: string[] = [];
      for (const from of instructions.filter((i) => i.keyword === "FROM")) {
        const [image, as, stage] = from.args.split(/\s+/);
        expect(["${NODE_IMAGE}", ...stages], `${name}: FROM ${from.args}`).toContain(image);
        if (as?.toUpperCase() === "AS" && stage) stages.push(stage);
      }
      const lastStage = instructions.slice(instructions.findLastIndex((i) => i.keyword === "FROM"));
      const user = lastStage.findLast((i) => i.keyword === "USER")?.args;
      expect(user, `${name}: USER of the final stage`).toBeTruthy();
      expect(user).not.toMatch(/^(root|0)(:|$)/);
      expect(lastStage.some((i) => i.keyword === "CMD" || i.keyword === "ENTRYPOINT")).toBe(true);
    }
    const portal = resolve(repoRoot, "apps/portal/Dockerfile");
    const healthcheck = parseDockerfile(readFileSync(portal, "utf8")).find(
      (i) => i.keyword === "HEALTHCHECK",
    );
    expect(healthcheck?.args).toContain("/api/health");
  });
});
