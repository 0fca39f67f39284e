import { describe, expect, it } from "vitest";
import { clipboardKey, type KeyLike } from "./clipboard-keys";

const key = (k: string, mods: Partial<KeyLike> = {}): KeyLike => ({
  type: "keydown",
  key: k,
  ctrlKey: false,
  shiftKey: false,
  altKey: false,
  metaKey: false,
  ...mods,
});

describe("clipboardKey", () => {
  it("copies with Ctrl+Shift+C and pastes with Ctrl+Shift+V", () => {
    expect(clipboardKey(key("C", { ctrlKey: true, shiftKey: true }))).toBe("copy");
    expect(clipboardKey(key("V", { ctrlKey: true, shiftKey: true }))).toBe("paste");
  });

  it("leaves Ctrl+C and Ctrl+V to the shell", () => {
    expect(clipboardKey(key("c", { ctrlKey: true }))).toBeNull();
    expect(clipboardKey(key("v", { ctrlKey: true }))).toBeNull();
  });

  it("ignores other combinations", () => {
    expect(clipboardKey(key("C", { ctrlKey: true, shiftKey: true, altKey: true }))).toBeNull();
    expect(clipboardKey(key("X", { ctrlKey: true, shiftKey: true }))).toBeNull();
    expect(clipboardKey(key("c", { metaKey: true }))).toBeNull();
  });
});
