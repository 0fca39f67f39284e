import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { newWebhookSecret, signWebhook, verifyWebhookSignature } from "./sign-webhook";
import { WebhookUrl } from "./webhook-url";

describe("webhook signature", () => {
  const secret = "whsec_test";
  const body = JSON.stringify({ type: "server.crash" });

  it("is the hex HMAC-SHA256 of timestamp, dot, body", () => {
    const expected = createHmac("sha256", secret).update(`1700000000.${body}`).digest("hex");
    expect(signWebhook(secret, "1700000000", body)).toBe(`sha256=${expected}`);
  });

  it("verifies only the same secret, timestamp and body", () => {
    const signature = signWebhook(secret, "1700000000", body);
    expect(verifyWebhookSignature(secret, "1700000000", body, signature)).toBe(true);
    expect(verifyWebhookSignature("whsec_other", "1700000000", body, signature)).toBe(false);
    expect(verifyWebhookSignature(secret, "1700000001", body, signature)).toBe(false);
    expect(verifyWebhookSignature(secret, "1700000000", `${body} `, signature)).toBe(false);
    expect(verifyWebhookSignature(secret, "1700000000", body, "sha256=00")).toBe(false);
  });

  it("makes secrets with a recognisable prefix and 256 bits", () => {
    expect(newWebhookSecret()).toMatch(/^whsec_[\w-]{43}$/);
    expect(newWebhookSecret()).not.toBe(newWebhookSecret());
  });
});

describe("webhook URL", () => {
  const accepts = (url: string) => WebhookUrl.safeParse(url).success;

  it("takes https anywhere and http only to this machine", () => {
    expect(accepts("https://hooks.example.com/berth")).toBe(true);
    expect(accepts("http://localhost:8080/hook")).toBe(true);
    expect(accepts("http://127.0.0.1:9/hook")).toBe(true);
    expect(accepts("http://example.com/hook")).toBe(false);
    expect(accepts("http://127.0.0.2/hook")).toBe(false);
    expect(accepts("ftp://example.com/")).toBe(false);
    expect(accepts("not a url")).toBe(false);
  });

  it("explains what is wrong", () => {
    const result = WebhookUrl.safeParse("http://example.com/hook");
    expect(result.error?.issues[0]?.message).toBe(
      "Use an https:// URL (http:// only for localhost).",
    );
  });
});
