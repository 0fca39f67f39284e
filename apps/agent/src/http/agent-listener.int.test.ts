// The agent as a whole: its listener is up before the first hello, which carries the listener's
// URL, and it takes grants signed with the key the portal handed over in the hello's answer.
import { request, type IncomingMessage } from "node:http";
import { NODE_GRANT_HEADER } from "@berth/protocol";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startLinkedAgent, until, type LinkedAgent } from "../link/test-portal";
import { signTestGrant } from "./test-grants";

let linked: LinkedAgent;

beforeAll(async () => {
  linked = await startLinkedAgent("berth-agent-listener-", { driver: "process" });
});

afterAll(() => linked?.close());

function get(url: string, headers: Record<string, string>) {
  return new Promise<{ status: number; body: unknown }>((resolve, reject) => {
    request(url, { headers })
      .on("response", (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () =>
          resolve({ status: res.statusCode!, body: JSON.parse(Buffer.concat(chunks).toString()) }),
        );
      })
      .on("error", reject)
      .end();
  });
}

it("says hello with the listener's URL and admits grants signed with the portal's key", async () => {
  const { portal, agent } = linked;
  const listener = await agent.listener;
  const [hello] = await until("a hello", () => (portal.hellos.length ? portal.hellos : undefined));
  expect(listener.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  expect(hello!.address).toBe(listener.url);

  await until("the grant key", () => agent.link.grantKey ?? undefined);
  const grant = await signTestGrant({ key: portal.grantKey, nodeId: "n1", serverId: "nope" });
  expect(await get(`${listener.url}/proxy/nope/`, { [NODE_GRANT_HEADER]: grant })).toEqual({
    status: 404,
    body: { code: "NOT_FOUND", message: "Server nope is not on this node" },
  });
});
