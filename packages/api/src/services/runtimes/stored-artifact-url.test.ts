import { describe, expect, it } from "vitest";
import {
  checkStoredArtifactHash,
  storedArtifactHash,
  storedArtifactUrl,
} from "./stored-artifact-url";

const HASH = "ab".repeat(32);

describe("stored artifact URLs", () => {
  it("builds the content-addressed URL under the public URL", () => {
    expect(storedArtifactUrl("https://berth.example/", HASH)).toBe(
      `https://berth.example/api/artifacts/${HASH}`,
    );
    expect(storedArtifactUrl("https://berth.example/portal", HASH)).toBe(
      `https://berth.example/portal/api/artifacts/${HASH}`,
    );
  });

  it("recognizes only this portal's artifact URLs", () => {
    const publicUrl = "http://localhost:3000";
    expect(storedArtifactHash(`${publicUrl}/api/artifacts/${HASH}`, publicUrl)).toBe(HASH);
    for (const url of [
      `http://localhost:3001/api/artifacts/${HASH}`,
      `https://localhost:3000/api/artifacts/${HASH}`,
      `${publicUrl}/api/artifacts/${HASH.toUpperCase()}`,
      `${publicUrl}/api/artifacts/${HASH}?x=1`,
      `${publicUrl}/api/artifacts/${HASH}/more`,
      `${publicUrl}/downloads/${HASH}`,
      "not a url",
    ]) {
      expect(storedArtifactHash(url, publicUrl), url).toBeNull();
    }
  });

  it("refuses a hash that differs from the stored artifact's name, and nothing else", () => {
    const publicUrl = "https://berth.example";
    const artifactUrl = `${publicUrl}/api/artifacts/${HASH}`;
    expect(() => checkStoredArtifactHash({ artifactUrl, sha256: HASH, publicUrl })).not.toThrow();
    expect(() =>
      checkStoredArtifactHash({ artifactUrl, sha256: "c".repeat(64), publicUrl }),
    ).toThrow("sha256: The sha256 does not match the uploaded artifact");
    expect(() =>
      checkStoredArtifactHash({
        artifactUrl: "https://elsewhere.example/a.tar.gz",
        sha256: "c".repeat(64),
        publicUrl,
      }),
    ).not.toThrow();
  });
});
