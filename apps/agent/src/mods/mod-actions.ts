// Enable (x.jar.disabled → x.jar), disable (x.jar → x.jar.disabled) or remove one jar that lies
// directly in mods/ or plugins/. Nothing else in the server's folder can be named this way.
import { lstat, rename, unlink } from "node:fs/promises";
import path from "node:path";
import type { ModAction, ModFolder } from "@berth/protocol";
import { FileError, pathSegments, resolveInside } from "../files/server-paths";
import { DISABLED_SUFFIX, MOD_FOLDERS, isDisabledName, isJarName } from "./mod-listing";

/** Applies the action to `file` (as listed, e.g. `mods/x.jar`) under `root`, the data folder. */
export async function applyModAction(root: string, file: string, action: ModAction): Promise<void> {
  const { folder, name } = jarOf(file);
  // Refuses a folder or jar that is a symlink leading out of the server's folder.
  await resolveInside(root, file);
  const folderPath = (await resolveInside(root, folder)).absolute;
  const current = path.join(folderPath, name);
  // The jar itself (a symlink is acted on as a link, never through it).
  const info = await lstat(current).catch(() => null);
  if (!info) throw new FileError("NOT_FOUND", `${file} does not exist`);
  if (!info.isFile() && !info.isSymbolicLink()) {
    throw new FileError("BAD_REQUEST", `${file} is not a file`);
  }
  if (action === "remove") {
    await unlink(current);
    return;
  }
  const disabled = isDisabledName(name);
  if (action === "enable" && !disabled) {
    throw new FileError("BAD_REQUEST", `${file} is already enabled`);
  }
  if (action === "disable" && disabled) {
    throw new FileError("BAD_REQUEST", `${file} is already disabled`);
  }
  const renamed =
    action === "enable" ? name.slice(0, -DISABLED_SUFFIX.length) : `${name}${DISABLED_SUFFIX}`;
  const target = path.join(folderPath, renamed);
  // rename() would replace the other jar without a word.
  if (await lstat(target).catch(() => null)) {
    throw new FileError(
      "CONFLICT",
      `${folder}/${renamed} already exists; remove one of the two before you ${action} ${name}`,
    );
  }
  await rename(current, target);
}

/** The folder and name of a jar directly in mods/ or plugins/; anything else is refused. */
function jarOf(file: string): { folder: ModFolder; name: string } {
  const segments = pathSegments(file);
  const [folder, name] = segments;
  if (
    segments.length !== 2 ||
    !MOD_FOLDERS.includes(folder as ModFolder) ||
    !name ||
    !isJarName(name)
  ) {
    throw new FileError(
      "BAD_REQUEST",
      "Only a jar directly in mods/ or plugins/ can be enabled, disabled or removed",
    );
  }
  return { folder: folder as ModFolder, name };
}
