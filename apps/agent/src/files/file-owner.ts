// Hands what the agent creates to the server's user. Only root can give files away; any other
// agent user leaves them as its own (the process driver runs servers as that user anyway).
import { lchown, lstat, readdir } from "node:fs/promises";
import path from "node:path";
import type { FileOwner } from "./file-root";

function canChown(owner: FileOwner | null): owner is FileOwner {
  return owner !== null && process.getuid?.() === 0;
}

/** Gives one entry (never what a symlink points to) to `owner`. */
export async function giveTo(owner: FileOwner | null, absolute: string): Promise<void> {
  if (!canChown(owner)) return;
  await lchown(absolute, owner.uid, owner.gid);
}

/** Gives an entry and, for a folder, everything below it to `owner`; symlinks are not followed. */
export async function giveTreeTo(owner: FileOwner | null, absolute: string): Promise<void> {
  if (!canChown(owner)) return;
  const stack = [absolute];
  while (stack.length > 0) {
    const current = stack.pop()!;
    await lchown(current, owner.uid, owner.gid);
    const info = await lstat(current);
    if (!info.isDirectory()) continue;
    for (const name of await readdir(current)) stack.push(path.join(current, name));
  }
}
