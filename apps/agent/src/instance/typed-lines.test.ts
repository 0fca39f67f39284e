import { describe, expect, it } from "vitest";
import { TypedLines } from "./typed-lines";

describe("TypedLines", () => {
  it("assembles keystrokes into a line when Enter is pressed", () => {
    const typed = new TypedLines();
    expect([..."stop"].flatMap((key) => typed.push(key))).toEqual([]);
    expect(typed.push("\r")).toEqual(["stop"]);
  });

  it("ends lines on \\r, \\n or \\r\\n (also split across pushes)", () => {
    const typed = new TypedLines();
    expect(typed.push("a\r\nb\nc\r")).toEqual(["a", "b", "c"]);
    expect(typed.push("\nd\n")).toEqual(["d"]);
  });

  it("applies backspace, Ctrl-U and Ctrl-C like a line editor", () => {
    const typed = new TypedLines();
    expect(typed.push("stpo\x7f\x7fop\r")).toEqual(["stop"]);
    expect(typed.push("say hi\x15stop\r")).toEqual(["stop"]);
    expect(typed.push("stop\x03list\r")).toEqual(["list"]);
    expect(typed.push("\b\x7fx\r")).toEqual(["x"]);
  });

  it("ignores cursor keys, function keys and paste brackets", () => {
    const typed = new TypedLines();
    expect(typed.push("\x1b[Ast\x1bOPop\x1b[200~\x1b[201~\x1b[1;5D\r")).toEqual(["stop"]);
  });

  it("keeps a bounded line", () => {
    const typed = new TypedLines();
    const [line] = typed.push(`${"x".repeat(5000)}\r`);
    expect(line).toHaveLength(1024);
  });
});
