// What every file operation is given: the folder it is confined to and who should own what it makes.

/** The numeric owner given to files and folders the agent creates for a server. */
export interface FileOwner {
  uid: number;
  gid: number;
}

export interface FileRoot {
  /** The server's data folder: nothing outside it is ever read, written or followed. */
  root: string;
  /** Who files and folders made inside the root belong to (null: the agent's own user). */
  owner: FileOwner | null;
  /**
   * A private folder on the same file system, out of the server's reach, where archives are
   * unpacked before they are moved into the root. Without one, a hidden folder in the root is used.
   */
  scratch?: string;
}
