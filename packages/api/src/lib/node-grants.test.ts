import { NodeGrantClaims, NodeGrantKey } from "@berth/protocol";
import { jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { createNodeGrants } from "./node-grants";

const SECRET = "a-platform-secret-of-at-least-32-characters";

describe("node grants", () => {
  it("signs a short-lived grant that the node verifies with the key it was handed", async () => {
    const grants = createNodeGrants(SECRET, () => 1_800_000_000_000);
    const key = grants.keyFor("node1");
    expect(NodeGrantKey.safeParse(key).success).toBe(true);
    const token = await grants.sign({
      nodeId: "node1",
      userId: "u1",
      serverId: "s1",
      scope: "ide",
    });
    const { payload } = await jwtVerify(token, Buffer.from(key, "base64url"), {
      audience: "node1",
      currentDate: new Date(1_800_000_030_000),
    });
    expect(NodeGrantClaims.parse(payload)).toEqual({
      typ: "node-grant",
      scope: "ide",
      aud: "node1",
      sub: "u1",
      serverId: "s1",
      iat: 1_800_000_000,
      exp: 1_800_000_060,
    });
    await expect(
      jwtVerify(token, Buffer.from(key, "base64url"), {
        audience: "node1",
        currentDate: new Date(1_800_000_061_000),
      }),
    ).rejects.toThrow(/exp/);
  });

  it("gives every node its own key, the same on every portal with the same secret", async () => {
    const grants = createNodeGrants(SECRET);
    expect(grants.keyFor("node1")).not.toBe(grants.keyFor("node2"));
    expect(createNodeGrants(SECRET).keyFor("node1")).toBe(grants.keyFor("node1"));
    expect(createNodeGrants(`${SECRET}-other`).keyFor("node1")).not.toBe(grants.keyFor("node1"));
    const token = await grants.sign({
      nodeId: "node2",
      userId: "u1",
      serverId: "s1",
      scope: "ide",
    });
    await expect(
      jwtVerify(token, Buffer.from(grants.keyFor("node1"), "base64url")),
    ).rejects.toThrow(/signature/);
  });
});
