// Test support: .zip files written record by record, so they can hold names and entry types no
// well-behaved zip tool would write (the tarball twin is runtimes/test-artifacts.ts rawTarball).
import { crc32 } from "node:zlib";

export interface RawZipEntry {
  name: string;
  type?: "File" | "Directory" | "SymbolicLink" | "Fifo";
  /** File content, or a symlink's target. */
  body?: string;
  /** Permission bits; the type bits come from `type`. */
  mode?: number;
}

const TYPE_BITS = { File: 0o100000, Directory: 0o040000, SymbolicLink: 0o120000, Fifo: 0o010000 };

/** A stored (uncompressed) zip "made on Unix", so the entries' unix modes count. */
export function rawZip(entries: RawZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const type = entry.type ?? (entry.name.endsWith("/") ? "Directory" : "File");
    const name = Buffer.from(entry.name, "utf8");
    const body = Buffer.from(entry.body ?? "", "utf8");
    const crc = crc32(body);
    const mode = TYPE_BITS[type] | (entry.mode ?? (type === "Directory" ? 0o755 : 0o644));

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(0, 8); // stored
    local.writeUInt32LE(0, 10); // time, date
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(body.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    locals.push(local, name, body);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by: Unix
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(0, 10);
    central.writeUInt32LE(0, 12);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(body.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt16LE(0, 30); // extra
    central.writeUInt16LE(0, 32); // comment
    central.writeUInt16LE(0, 34); // disk
    central.writeUInt16LE(0, 36); // internal attributes
    central.writeUInt32LE((mode << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
