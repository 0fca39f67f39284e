import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

/**
 * Encrypts small secrets the platform must be able to read back (e.g. a webhook's signing key),
 * with AES-256-GCM under a key derived from BERTH_SECRET by HKDF-SHA256, one key per purpose.
 * `context` (e.g. the owning user's id) is authenticated, so a value copied to another row does
 * not open there.
 */
export interface SecretBox {
  seal(plaintext: string, context: string): string;
  /** Throws when the value was not sealed by this box for this context, or was altered. */
  open(sealed: string, context: string): string;
}

const FORMAT = "v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;

export function createSecretBox(masterSecret: string, purpose: string): SecretBox {
  const key = Buffer.from(
    hkdfSync("sha256", masterSecret, "berth-secret-box", `berth:${purpose}:${FORMAT}`, 32),
  );
  return {
    seal(plaintext, context) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(Buffer.from(context, "utf8"));
      const encrypted = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
      const parts = [iv, cipher.getAuthTag(), encrypted].map((b) => b.toString("base64url"));
      return [FORMAT, ...parts].join(".");
    },
    open(sealed, context) {
      const [format, iv, tag, encrypted, ...rest] = sealed.split(".");
      if (format !== FORMAT || !iv || !tag || encrypted === undefined || rest.length > 0) {
        throw new Error("not a sealed value");
      }
      const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"), {
        authTagLength: TAG_BYTES,
      });
      decipher.setAAD(Buffer.from(context, "utf8"));
      decipher.setAuthTag(Buffer.from(tag, "base64url"));
      const plain = Buffer.concat([
        decipher.update(Buffer.from(encrypted, "base64url")),
        decipher.final(),
      ]);
      return plain.toString("utf8");
    },
  };
}
