import { describe, expect, it } from "vitest";
import { testFailure, webhookUrlProblem } from "./webhook-url";

describe("webhookUrlProblem", () => {
  it("accepts https anywhere and http to this machine", () => {
    expect(webhookUrlProblem("https://example.com/hook")).toBeNull();
    expect(webhookUrlProblem("  http://localhost:8080/crash ")).toBeNull();
    expect(webhookUrlProblem("http://127.0.0.1:9000/")).toBeNull();
  });

  it("explains what is wrong", () => {
    expect(webhookUrlProblem("")).toBe("Enter a URL.");
    expect(webhookUrlProblem("example.com/hook")).toBe("Enter a full URL, starting with https://.");
    expect(webhookUrlProblem("http://example.com/hook")).toBe(
      "Use an https:// URL (http:// only for localhost).",
    );
    expect(webhookUrlProblem("ftp://example.com")).toBe(
      "Use an https:// URL (http:// only for localhost).",
    );
    expect(webhookUrlProblem(`https://example.com/${"a".repeat(2050)}`)).toBe(
      "Use a URL of at most 2048 characters.",
    );
  });
});

describe("testFailure", () => {
  it("names the status, else the error", () => {
    expect(testFailure({ status: 500, error: "HTTP 500" })).toBe("The receiver answered HTTP 500.");
    expect(testFailure({ status: null, error: "timed out" })).toBe("Not delivered: timed out");
    expect(testFailure({ status: null, error: null })).toBe("The test was not delivered.");
  });
});
