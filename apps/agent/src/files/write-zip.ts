// Writes chosen entries (folders recursively) into a .zip with yazl. Symlinks are stored as links
// (unix mode 0120777, the target as content), never followed; other special files are left out.
import { createWriteStream } from "node:fs";
import { lstat, readdir, readlink } from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import yazl from "yazl";

export async function writeZip(options: {
  base: string;
  names: string[];
  file: string;
  /** Absolute paths never stored (the archive being written). */
  skip: (absolute: string) => boolean;
}): Promise<void> {
  const zip = new yazl.ZipFile();
  const output = pipeline(zip.outputStream, createWriteStream(options.file, { flags: "wx" }));
  try {
    const stack = [...options.names].reverse();
    while (stack.length > 0) {
      const name = stack.pop()!;
      const absolute = path.join(options.base, name);
      if (options.skip(absolute)) continue;
      const info = await lstat(absolute);
      const mtime = info.mtime;
      if (info.isDirectory()) {
        zip.addEmptyDirectory(name, { mtime, mode: 0o40000 | (info.mode & 0o777) });
        const children = (await readdir(absolute)).sort().reverse();
        for (const child of children) stack.push(`${name}/${child}`);
      } else if (info.isFile()) {
        zip.addFile(absolute, name, { mtime, mode: 0o100000 | (info.mode & 0o777) });
      } else if (info.isSymbolicLink()) {
        zip.addBuffer(Buffer.from(await readlink(absolute)), name, {
          mtime,
          mode: 0o120777,
          compress: false,
        });
      }
    }
  } finally {
    zip.end();
  }
  await output;
}
