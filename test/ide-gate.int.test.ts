// The IDE path on real parts: a portal on port 0 with Postgres, the agent's real link and HTTP
// listener (grants checked with the key the hello was answered with), and in place of code-server a
// real HTTP + WebSocket server that records what reached it. A link becomes a cookie session once, every refusal is a page that never reaches
// the node, and deleting, transferring or signing out ends a session within seconds.
import {
  createServer,
  request,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
} from "node:http";
import type { AddressInfo } from "node:net";
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket, WebSocketServer } from "ws";
import { createCaller, createTRPCContext } from "@berth/api";
import { createIdeLinks, createUser, ideKeys } from "@berth/api/services";
import { fail, IDE_TOKEN_TYPE, NODE_GRANT_HEADER, ok } from "@berth/protocol";
import { createTestDatabase, type TestDatabase } from "./db";
import { startIdeNode, type IdeNode } from "./ide-node";
import { startTestPortal, waitFor, type TestPortal } from "./portal";

type TestUser = { id: string; email: string; name: string | null; role: "admin" | "user" };
interface Seen {
  kind: "http" | "ws";
  url: string;
  headers: IncomingHttpHeaders;
}

let db: TestDatabase;
let portal: TestPortal;
let owner: TestUser;
let stranger: TestUser;
let admin: TestUser;
let nodeId: string;
let node: IdeNode;
let upstream: Server;
let upstreamPort: number;
const seen: Seen[] = [];
/** WebSockets the node's side saw closed. */
let upstreamClosed = 0;
const sockets: WebSocket[] = [];

/** code-server's part: pages naming the path they were asked for, and a WebSocket echo. */
async function startUpstream(): Promise<void> {
  const wss = new WebSocketServer({ noServer: true });
  upstream = createServer((req, res) => {
    seen.push({ kind: "http", url: req.url!, headers: req.headers });
    res.writeHead(200, { "content-type": "text/plain", "set-cookie": "vscode-tkn=abc" });
    res.end(`code-server ${req.url}`);
  });
  upstream.on("upgrade", (req, socket, head) => {
    seen.push({ kind: "ws", url: req.url!, headers: req.headers });
    wss.handleUpgrade(req, socket, head, (ws) => {
      ws.on("close", () => upstreamClosed++);
      ws.on("message", (data, isBinary) => {
        if (data.toString() === "close me") ws.close(4000, "bye");
        else ws.send(data, { binary: isBinary });
      });
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  upstreamPort = (upstream.address() as AddressInfo).port;
}

beforeAll(async () => {
  db = await createTestDatabase();
  portal = await startTestPortal({ databaseUrl: db.url, staleMs: 10 * 60_000 });
  const user = (email: string, role: "admin" | "user") =>
    createUser({ db: db.prisma, email, password: "password1", role });
  owner = await user("owner@gate.test", "user");
  stranger = await user("stranger@gate.test", "user");
  admin = await user("admin@gate.test", "admin");
  await startUpstream();
  node = await startIdeNode({
    prisma: db.prisma,
    portalUrl: portal.url,
    name: "n1",
    upstreams: { resolve: async () => ({ ok: true, host: "127.0.0.1", port: upstreamPort }) },
    // The node holds no containers here; deleting a server only has to succeed on it.
    servers: {
      delete: async () => ok({ deleted: true }),
      inventory: async () => ({ servers: [], unknown: [] }),
      provision: async () => fail("CONFLICT", "not in this test"),
      power: async () => fail("CONFLICT", "not in this test"),
      codeServer: async () => fail("CONFLICT", "not in this test"),
    },
  });
  nodeId = node.nodeId;
});
afterAll(async () => {
  sockets.forEach((s) => s.terminate());
  await node?.close();
  await portal?.close();
  await new Promise((resolve) => upstream?.close(resolve));
  await db?.drop();
});

const callerFor = (user: TestUser) =>
  createCaller(createTRPCContext({ runtime: portal.runtime, sessionUser: user, ip: "127.0.0.1" }));

const devServer = (name: string, ownerId = owner.id, node = nodeId) =>
  db.prisma.server.create({
    data: {
      name,
      kind: "dev",
      ownerId,
      nodeId: node,
      memoryMb: 256,
      codeServer: true,
      codeServerState: "running",
    },
  });

/** The link's path and query, to be opened on the test portal. */
async function linkFor(user: TestUser, serverId: string): Promise<string> {
  const { url } = await callerFor(user).ide.createToken({ serverId });
  const parsed = new URL(url);
  return `${parsed.pathname}${parsed.search}`;
}

const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${portal.url}${path}`, { redirect: "manual", headers });

/** Opens a link and returns the session cookie it set (`name=value`). */
async function sessionFor(user: TestUser, serverId: string): Promise<string> {
  const res = await get(await linkFor(user, serverId));
  expect(res.status).toBe(302);
  return res.headers.getSetCookie()[0]!.split(";")[0]!;
}

const folderPath = (serverId: string) => `/ide/${serverId}/?folder=/home/dev/workspace`;

async function expectRefused(
  res: Response,
  status: number,
  text: RegExp,
  serverId: string,
): Promise<void> {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toMatch(/^text\/html/);
  expect(res.headers.getSetCookie()).toEqual([]);
  const body = await res.text();
  expect(body).toMatch(text);
  expect(body).toContain(`/servers/${serverId}"`);
  expect(body).not.toMatch(/at .*\.ts:\d+/);
}

describe("the IDE gate", () => {
  it("turns a link into a cookie session, adds the workspace folder and reaches code-server", async () => {
    const server = await devServer("chain");
    const link = await linkFor(owner, server.id);
    expect(link).toMatch(new RegExp(`^/ide/${server.id}/\\?token=`));

    const first = await get(link);
    expect(first.status).toBe(302);
    expect(first.headers.get("location")).toBe(`/ide/${server.id}/`);
    const [setCookie] = first.headers.getSetCookie();
    expect(setCookie).toMatch(/^berth_ide_session=[\w-]+\.[\w-]+\.[\w-]+;/);
    expect(setCookie).toContain(`Path=/ide/${server.id}/`);
    expect(setCookie).toContain("HttpOnly");
    expect(setCookie).toContain("SameSite=Lax");
    expect(setCookie).not.toContain("Secure"); // the test portal's public URL is http
    const cookie = setCookie!.split(";")[0]!;

    const second = await get(`/ide/${server.id}/`, { cookie });
    expect(second.status).toBe(302);
    expect(second.headers.get("location")).toBe(folderPath(server.id));

    const before = seen.length;
    const third = await get(folderPath(server.id), {
      cookie: `theme=dark; ${cookie}; vscode-tkn=abc`,
    });
    expect(third.status).toBe(200);
    expect(await third.text()).toBe(`code-server /?folder=/home/dev/workspace`);
    expect(third.headers.getSetCookie()).toEqual(["vscode-tkn=abc"]);
    expect(seen.length).toBe(before + 1);
    const reached = seen.at(-1)!;
    expect(reached.headers[NODE_GRANT_HEADER]).toBeUndefined(); // the agent checked and removed it
    expect(reached.headers.cookie).toBe("theme=dark; vscode-tkn=abc");
    expect(reached.headers.host).toBe(new URL(portal.url).host);
    expect(reached.url).not.toContain("token");

    // Deeper paths and their queries go through as they are; Berth's token param never does.
    const asset = await get(`/ide/${server.id}/static/out/main.js?v=1&token=x`, { cookie });
    expect(asset.status).toBe(401); // a token means a link, and this one is not valid
    const plain = await get(`/ide/${server.id}/static/out/main.js?v=1`, { cookie });
    expect(await plain.text()).toBe(`code-server /static/out/main.js?v=1`);
  });

  it("keeps other query parameters through the redirect and accepts the session as a bearer", async () => {
    const server = await devServer("params");
    const link = await linkFor(owner, server.id);
    const res = await get(`${link}&folder=/home/dev/workspace/app`);
    expect(res.headers.get("location")).toBe(`/ide/${server.id}/?folder=/home/dev/workspace/app`);
    const session = res.headers.getSetCookie()[0]!.split(";")[0]!.split("=")[1]!;

    const viaBearer = await get(`/ide/${server.id}/api/thing`, {
      authorization: `Bearer ${session}`,
    });
    expect(viaBearer.status).toBe(200);
    expect(seen.at(-1)!.headers.authorization).toBeUndefined();
    expect(seen.at(-1)!.headers.cookie).toBeUndefined();
  });

  it("is the only way in: the node refuses requests that skip the portal", async () => {
    const server = await devServer("direct");
    const before = seen.length;
    const direct = await fetch(`${node.listener.url}/proxy/${server.id}/`);
    expect(direct.status).toBe(401);
    const forged = await fetch(`${node.listener.url}/proxy/${server.id}/`, {
      headers: {
        [NODE_GRANT_HEADER]: await new SignJWT({ serverId: server.id })
          .setProtectedHeader({ alg: "HS256" })
          .setAudience(nodeId)
          .setExpirationTime("1m")
          .sign(new TextEncoder().encode("not the node's key")),
      },
    });
    expect(forged.status).toBe(401);
    expect(seen.length).toBe(before);
  });

  it("adds the trailing slash the IDE's relative URLs need", async () => {
    const res = await get(`/ide/abc?x=1`);
    expect(res.status).toBe(301);
    expect(res.headers.get("location")).toBe(`/ide/abc/?x=1`);
  });
});

describe("links the gate refuses, without reaching the node", () => {
  let server: { id: string };
  let keys: ReturnType<typeof ideKeys>;
  let before: number;
  beforeAll(async () => {
    server = await devServer("refusals");
    keys = ideKeys(portal.secret);
  });
  const track = () => (before = seen.length);
  const untouched = () => expect(seen.length).toBe(before);

  it("an expired link: 401", async () => {
    const past = createIdeLinks({
      masterSecret: portal.secret,
      publicUrl: portal.runtime.publicUrl,
      tokenTtlS: 300,
      hostSuffix: null,
      now: () => Date.now() - 600_000,
    });
    const jti = "expired-jti";
    const { token, expiresAt } = await past.signToken({
      userId: owner.id,
      serverId: server.id,
      jti,
    });
    await db.prisma.ideToken.create({
      data: { jti, userId: owner.id, serverId: server.id, expiresAt },
    });
    track();
    await expectRefused(await get(`/ide/${server.id}/?token=${token}`), 401, /expired/, server.id);
    untouched();
  });

  it("a tampered link: 401", async () => {
    const link = await linkFor(owner, server.id);
    const token = new URL(link, "http://x").searchParams.get("token")!;
    const [h, p, s] = token.split(".");
    const claims = JSON.parse(Buffer.from(p!, "base64url").toString()) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...claims, exp: 4_000_000_000 })).toString(
      "base64url",
    );
    track();
    await expectRefused(
      await get(`/ide/${server.id}/?token=${h}.${forged}.${s}`),
      401,
      /not valid/,
      server.id,
    );
    untouched();
  });

  it("a token of another type: 401", async () => {
    const jti = "other-type";
    await db.prisma.ideToken.create({
      data: {
        jti,
        userId: owner.id,
        serverId: server.id,
        expiresAt: new Date(Date.now() + 60_000),
      },
    });
    const token = await new SignJWT({ serverId: server.id, type: "something-else" })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(owner.id)
      .setJti(jti)
      .setIssuedAt()
      .setExpirationTime("1m")
      .sign(keys.token);
    track();
    await expectRefused(
      await get(`/ide/${server.id}/?token=${token}`),
      401,
      /not an IDE link/,
      server.id,
    );
    untouched();
    // The right type under the session key is no link either.
    const asSession = await new SignJWT({ serverId: server.id, type: IDE_TOKEN_TYPE })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(owner.id)
      .setJti(jti)
      .setExpirationTime("1m")
      .sign(keys.session);
    await expectRefused(
      await get(`/ide/${server.id}/?token=${asSession}`),
      401,
      /not valid/,
      server.id,
    );
  });

  it("another server's link: 403, and that link still works where it belongs", async () => {
    const other = await devServer("other");
    const link = await linkFor(owner, other.id);
    track();
    await expectRefused(
      await get(link.replace(`/ide/${other.id}/`, `/ide/${server.id}/`)),
      403,
      /another server/,
      server.id,
    );
    untouched();
    expect((await get(link)).status).toBe(302);
  });

  it("a replayed link: 403", async () => {
    const link = await linkFor(owner, server.id);
    const [a, b] = await Promise.all([get(link), get(link)]);
    // Two tabs racing with one link: exactly one wins.
    expect([a.status, b.status].sort()).toEqual([302, 403]);
    track();
    await expectRefused(await get(link), 403, /already used/, server.id);
    untouched();
  });

  it("a revoked link: 403", async () => {
    const link = await linkFor(owner, server.id);
    await callerFor(owner).ide.signOutSessions({ serverId: server.id });
    track();
    await expectRefused(await get(link), 403, /signed out/, server.id);
    untouched();
  });

  it("no session, another user's session, or a forged one: refused", async () => {
    track();
    await expectRefused(await get(folderPath(server.id)), 401, /no IDE session/, server.id);

    const theirs = await devServer("theirs", stranger.id);
    const strangerCookie = await sessionFor(stranger, theirs.id);
    await expectRefused(
      await get(folderPath(server.id), { cookie: strangerCookie }),
      401,
      /no IDE session/,
      server.id,
    );
    // A session naming this server but opened with the stranger's link for their own server.
    const sid = (await db.prisma.ideToken.findFirstOrThrow({ where: { serverId: theirs.id } })).id;
    const forged = await new SignJWT({ serverId: server.id, sid, type: "dev-ide-session" })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(stranger.id)
      .setExpirationTime("1h")
      .sign(keys.session);
    await expectRefused(
      await get(folderPath(server.id), { cookie: `berth_ide_session=${forged}` }),
      403,
      /no longer valid/,
      server.id,
    );
    untouched();
  });

  it("a node that is offline: 502", async () => {
    const away = await db.prisma.node.create({ data: { name: "away", status: "offline" } });
    const far = await devServer("far", owner.id, away.id);
    const cookie = await sessionFor(owner, far.id);
    await expectRefused(await get(folderPath(far.id), { cookie }), 502, /node is offline/, far.id);
  });
});

describe("ending sessions", () => {
  /** Waits until the session is refused; revocation may take the 2 s access cache. */
  async function refusedWithin(path: string, cookie: string, ms: number): Promise<number> {
    const started = Date.now();
    const status = await waitFor(
      async () => {
        const res = await get(path, { cookie });
        await res.arrayBuffer();
        return res.status === 200 ? undefined : res.status;
      },
      { timeoutMs: ms, intervalMs: 200, what: "the session to end" },
    );
    expect(Date.now() - started).toBeLessThan(ms);
    return status;
  }

  it("ends when the server is deleted", async () => {
    const server = await devServer("deleted");
    const cookie = await sessionFor(owner, server.id);
    expect((await get(folderPath(server.id), { cookie })).status).toBe(200);
    await callerFor(owner).servers.delete({ serverId: server.id });
    expect(await refusedWithin(folderPath(server.id), cookie, 4000)).toBe(403);
  });

  it("ends for the old owner when an admin transfers the server", async () => {
    const server = await devServer("transferred");
    const cookie = await sessionFor(owner, server.id);
    expect((await get(folderPath(server.id), { cookie })).status).toBe(200);
    await callerFor(admin).servers.transfer({ serverId: server.id, toEmail: stranger.email });
    expect(await refusedWithin(folderPath(server.id), cookie, 4000)).toBe(403);
    const theirs = await sessionFor(stranger, server.id);
    expect((await get(folderPath(server.id), { cookie: theirs })).status).toBe(200);
  });

  it("ends when the owner signs out IDE sessions", async () => {
    const server = await devServer("signed-out");
    const cookie = await sessionFor(owner, server.id);
    const adminCookie = await sessionFor(admin, server.id);
    expect((await get(folderPath(server.id), { cookie: adminCookie })).status).toBe(200);
    await callerFor(owner).ide.signOutSessions({ serverId: server.id });
    expect(await refusedWithin(folderPath(server.id), cookie, 4000)).toBe(403);
    expect(await refusedWithin(folderPath(server.id), adminCookie, 4000)).toBe(403);
  });

  it("ends when the user is disabled", async () => {
    const server = await devServer("disabled-user");
    const cookie = await sessionFor(owner, server.id);
    await db.prisma.user.update({ where: { id: owner.id }, data: { disabledAt: new Date() } });
    try {
      expect(await refusedWithin(folderPath(server.id), cookie, 4000)).toBe(403);
    } finally {
      await db.prisma.user.update({ where: { id: owner.id }, data: { disabledAt: null } });
    }
  });
});

describe("WebSockets through the gate", () => {
  function open(url: string, headers: Record<string, string>): Promise<WebSocket> {
    const ws = new WebSocket(url, { headers });
    sockets.push(ws);
    return new Promise((resolve, reject) => {
      ws.once("open", () => resolve(ws));
      ws.once("unexpected-response", (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      ws.once("error", reject);
    });
  }
  const wsUrl = (path: string) => `${portal.url.replace(/^http/, "ws")}${path}`;

  it("echoes through the proxy with the grant, Host kept, and Berth's cookie and token gone", async () => {
    const server = await devServer("ws");
    const cookie = await sessionFor(owner, server.id);
    const origin = portal.url;
    const ws = await open(wsUrl(`/ide/${server.id}/stable-abc?reconnection=false&token=leak`), {
      cookie: `${cookie}; vscode-tkn=abc`,
      origin,
    });
    const reached = seen.at(-1)!;
    expect(reached.kind).toBe("ws");
    expect(reached.url).toBe(`/stable-abc?reconnection=false`);
    expect(reached.headers[NODE_GRANT_HEADER]).toBeUndefined();
    expect(reached.headers.cookie).toBe("vscode-tkn=abc");
    expect(reached.headers.host).toBe(new URL(portal.url).host);
    expect(reached.headers.origin).toBe(origin);

    const echoed = new Promise<string>((resolve) =>
      ws.once("message", (data) => resolve(data.toString())),
    );
    ws.send("hello code-server");
    expect(await echoed).toBe("hello code-server");

    // The node's side closing closes the browser's.
    const closed = new Promise<number>((resolve) => ws.once("close", (code) => resolve(code)));
    ws.send("close me");
    expect(await closed).toBe(4000);
  });

  it("closes the node's side when the browser goes away", async () => {
    const server = await devServer("ws-gone");
    const cookie = await sessionFor(owner, server.id);
    const ws = await open(wsUrl(`/ide/${server.id}/socket`), { cookie, origin: portal.url });
    const before = upstreamClosed;
    ws.terminate();
    await waitFor(() => upstreamClosed > before || undefined, {
      timeoutMs: 5000,
      what: "the node's side to close",
    });
  });

  it("refuses an upgrade without a session", async () => {
    const server = await devServer("ws-refused");
    const before = seen.length;
    await expect(open(wsUrl(`/ide/${server.id}/socket`), {})).rejects.toThrow(/HTTP 401/);
    expect(seen.length).toBe(before);
  });
});

describe("host-based IDE URLs", () => {
  let hostPortal: TestPortal;
  beforeAll(async () => {
    hostPortal = await startTestPortal({
      databaseUrl: db.url,
      staleMs: 10 * 60_000,
      ideHostSuffix: "ide.test",
      secret: portal.secret, // the same platform: the node trusts its grants
    });
  });
  afterAll(() => hostPortal?.close());

  /** A request to the host portal as a browser at `host` would send it. */
  function getAt(
    host: string,
    path: string,
    headers: Record<string, string> = {},
  ): Promise<{ res: IncomingMessage; body: string }> {
    return new Promise((resolve, reject) => {
      const req = request(`${hostPortal.url}${path}`, { headers: { ...headers, host } }, (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (body += chunk));
        res.on("end", () => resolve({ res, body }));
      });
      req.on("error", reject);
      req.end();
    });
  }

  it("reads the server from the Host and keeps the cookie to that host", async () => {
    const server = await devServer("host-mode");
    const { url } = await createCaller(
      createTRPCContext({ runtime: hostPortal.runtime, sessionUser: owner, ip: "127.0.0.1" }),
    ).ide.createToken({ serverId: server.id });
    const link = new URL(url);
    const host = `dev-${server.id}.ide.test`;
    expect(link.origin).toBe(`https://${host}`);
    expect(link.pathname).toBe("/");

    const first = await getAt(host, `${link.pathname}${link.search}`);
    expect(first.res.statusCode).toBe(302);
    expect(first.res.headers.location).toBe("/");
    const setCookie = first.res.headers["set-cookie"]![0]!;
    expect(setCookie).toContain("Path=/;");
    expect(setCookie).toContain("Secure");
    expect(setCookie).not.toMatch(/Domain=/i);
    const cookie = setCookie.split(";")[0]!;

    const second = await getAt(host, "/", { cookie });
    expect(second.res.headers.location).toBe("/?folder=/home/dev/workspace");
    const third = await getAt(host, "/?folder=/home/dev/workspace", { cookie });
    expect(third.res.statusCode).toBe(200);
    expect(third.body).toBe(`code-server /?folder=/home/dev/workspace`);
    expect(seen.at(-1)!.headers.host).toBe(host);

    // Another server's host does not take this server's cookie.
    const other = await devServer("host-other");
    const refused = await getAt(`dev-${other.id}.ide.test`, "/", { cookie });
    expect(refused.res.statusCode).toBe(401);
  });
});
