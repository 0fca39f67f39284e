/**
 * Dropped files and folders as a flat list with paths relative to the drop. Folders come in as
 * `FileSystemDirectoryEntry`s (`DataTransferItem.webkitGetAsEntry()`); the interfaces below are
 * the part of that API used here, so tests can hand in fakes.
 */

export interface FileEntryLike {
  isFile: true;
  isDirectory: false;
  name: string;
  file(success: (file: File) => void, failure?: (error: unknown) => void): void;
}

export interface DirectoryEntryLike {
  isFile: false;
  isDirectory: true;
  name: string;
  createReader(): {
    readEntries(success: (entries: EntryLike[]) => void, failure?: (error: unknown) => void): void;
  };
}

export type EntryLike = FileEntryLike | DirectoryEntryLike;

export interface DroppedFile {
  file: File;
  /** "a.txt" for a dropped file, "world/region/r.mca" for a file in a dropped folder. */
  relativePath: string;
}

/** Most files one drop takes, so a dropped home folder cannot hang the page. */
export const DROP_FILE_LIMIT = 10_000;

function fileOf(entry: FileEntryLike): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

/** A directory reader hands out entries in batches (100 in Chromium) until an empty one. */
async function childrenOf(entry: DirectoryEntryLike): Promise<EntryLike[]> {
  const reader = entry.createReader();
  const all: EntryLike[] = [];
  for (;;) {
    const batch = await new Promise<EntryLike[]>((resolve, reject) =>
      reader.readEntries(resolve, reject),
    );
    if (batch.length === 0) return all;
    all.push(...batch);
  }
}

/** Every file under the dropped entries, depth first, with its path relative to the drop. */
export async function walkEntries(
  entries: readonly EntryLike[],
  limit = DROP_FILE_LIMIT,
): Promise<DroppedFile[]> {
  const out: DroppedFile[] = [];
  const visit = async (entry: EntryLike, prefix: string): Promise<void> => {
    if (out.length >= limit) return;
    const relativePath = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isFile) {
      out.push({ file: await fileOf(entry), relativePath });
      return;
    }
    for (const child of await childrenOf(entry)) await visit(child, relativePath);
  };
  for (const entry of entries) await visit(entry, "");
  return out;
}

/**
 * The files of a drop event's `DataTransfer`: folders walked when the browser offers entries,
 * otherwise the plain file list. Entries must be taken synchronously inside the event handler.
 */
export function droppedEntries(data: DataTransfer): { entries: EntryLike[]; files: File[] } {
  const entries: EntryLike[] = [];
  for (const item of Array.from(data.items ?? [])) {
    if (item.kind !== "file") continue;
    const entry = item.webkitGetAsEntry?.() as EntryLike | null | undefined;
    if (entry) entries.push(entry);
  }
  return { entries, files: Array.from(data.files ?? []) };
}

export async function filesOfDrop(data: DataTransfer): Promise<DroppedFile[]> {
  const { entries, files } = droppedEntries(data);
  if (entries.length > 0) return walkEntries(entries);
  return files.map((file) => ({ file, relativePath: file.name }));
}
