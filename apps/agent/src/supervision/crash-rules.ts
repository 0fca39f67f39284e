// The built-in classification rules, as data: tried in this order after the template's own rules,
// each against every line of the crash's log tail (case-insensitive, Minecraft § colour codes
// removed). A named group `name` names the culprit; `{name}` in the suggestion is replaced by it.
// Order matters: running out of memory explains everything after it, a missing piece explains the
// mod or plugin that failed because of it, and a named failure beats a mere stack frame.
import type { CrashRule } from "@berth/protocol";

const INSTALL_MOD = "Install the mod {name} (another mod requires it), in a version that fits.";
const FIX_MOD =
  "The mod {name} failed to load. Update it to a build for this Minecraft and loader version, or remove it.";
const FIX_PLUGIN =
  "The plugin {name} failed. Update it to a version for this server, check its config, or remove it.";
const MISSING_CLASS =
  "The class {name} is missing: the library, mod or plugin it belongs to is not installed, or is the wrong version.";

/** Jars of the server, loader and common libraries: a stack frame in them names no culprit. */
const PLATFORM_JARS = [
  "forge",
  "neoforge",
  "fmlcore",
  "fmlloader",
  "fmlearlydisplay",
  "javafmllanguage",
  "lowcodelanguage",
  "mclanguage",
  "minecraft",
  "server",
  "client",
  "paper",
  "spigot",
  "craftbukkit",
  "bukkit",
  "purpur",
  "pufferfish",
  "folia",
  "fabric-loader",
  "mixin",
  "sponge",
  "modlauncher",
  "securejarhandler",
  "bootstraplauncher",
  "eventbus",
  "datafixerupper",
  "netty",
  "guava",
  "gson",
  "log4j",
  "authlib",
  "brigadier",
  "fastutil",
  "slf4j",
  "lwjgl",
  "asm",
].join("|");

export const BUILTIN_CRASH_RULES: readonly CrashRule[] = [
  // --- out of memory, as the program itself reports it ---
  {
    id: "java.out-of-memory",
    class: "oom",
    pattern: String.raw`java\.lang\.OutOfMemoryError`,
    suggestion:
      "Java ran out of memory. Raise -Xmx together with the server's memory limit (keep about 25 % of the limit beside the heap), or remove memory-hungry mods or plugins.",
  },
  {
    id: "java.native-memory",
    class: "oom",
    pattern: String.raw`insufficient memory for the Java Runtime Environment|Native memory allocation \(\w+\) failed`,
    suggestion:
      "The JVM could not get memory outside its heap: -Xmx is too close to the memory limit. Lower -Xmx or raise the limit.",
  },
  {
    id: "node.heap-out-of-memory",
    class: "oom",
    pattern: String.raw`JavaScript heap out of memory`,
    suggestion:
      "Node.js ran out of heap. Raise --max-old-space-size together with the memory limit, or look for a leak.",
  },
  {
    id: "python.memory-error",
    class: "oom",
    pattern: String.raw`^MemoryError\b`,
    suggestion:
      "Python could not allocate memory. Raise the memory limit, or keep less in memory at once.",
  },
  {
    id: "native.bad-alloc",
    class: "oom",
    pattern: String.raw`std::bad_alloc|fatal error: runtime: out of memory`,
    suggestion: "The program could not allocate memory. Raise the server's memory limit.",
  },

  // --- something the program needs is not there ---
  {
    id: "native.shared-library",
    class: "missing_dependency",
    pattern: String.raw`(?<name>[^\s:]+\.so(?:\.[\w.]+)?): cannot open shared object file`,
    suggestion:
      "The library {name} is not in the image. Install the package that provides it, or use an image made for this program.",
  },
  {
    id: "native.glibc-version",
    class: "missing_dependency",
    pattern: String.raw`version .(?<name>GLIBC_[\d.]+). not found`,
    suggestion:
      "The program needs {name}, newer than the image's C library. Use an image with a newer system, or a build of the program for older ones.",
  },
  {
    id: "shell.command-not-found",
    class: "missing_dependency",
    pattern: String.raw`^(?:\S*/)?(?:ba|da)?sh: (?:line )?(?:\d+: )?(?<name>[^\s:]+): (?:command )?not found`,
    suggestion:
      "The command {name} is not in the image. Use an image that has it, or fix the startup command.",
  },
  {
    id: "java.unsupported-class-version",
    class: "missing_dependency",
    pattern: String.raw`UnsupportedClassVersionError: (?<name>\S+) has been compiled by a more recent version`,
    suggestion:
      "{name} was built for a newer Java than the image has. Use an image with the Java version the server or mod requires.",
  },
  {
    id: "java.class-not-found",
    class: "missing_dependency",
    pattern: String.raw`ClassNotFoundException: (?<name>[\w.$]+)`,
    suggestion: MISSING_CLASS,
  },
  {
    id: "java.no-class-def",
    class: "missing_dependency",
    pattern: String.raw`NoClassDefFoundError: (?:Could not initialize class )?(?<name>[\w/.$]+)`,
    suggestion: MISSING_CLASS,
  },
  {
    id: "java.unsatisfied-link",
    class: "missing_dependency",
    pattern: String.raw`UnsatisfiedLinkError: (?:no )?(?<name>[^\s:']+)`,
    suggestion:
      "The native library {name} is missing or built for another system. Install it, or use the program's build for Linux x86-64.",
  },
  {
    id: "java.unsatisfied-link-unnamed",
    class: "missing_dependency",
    pattern: String.raw`UnsatisfiedLinkError`,
    suggestion:
      "A native method's library is missing or built for another system. Install it, or use the program's build for Linux x86-64.",
  },
  {
    id: "forge.missing-mandatory-dependency",
    class: "missing_dependency",
    pattern: String.raw`Mod ID: '(?<name>[\w-]+)', Requested by: '[\w-]+', Expected range: '[^']*', Actual version: '\[MISSING\]'`,
    suggestion: INSTALL_MOD,
  },
  {
    id: "forge.missing-mods",
    class: "missing_dependency",
    pattern: String.raw`MissingModsException: Mod [\w-]+ \([^)]*\) requires \[(?<name>[\w-]+)`,
    suggestion: INSTALL_MOD,
  },
  {
    id: "neoforge.dependency-not-installed",
    class: "missing_dependency",
    pattern: String.raw`Currently, (?<name>[\w-]+) is not installed`,
    suggestion: INSTALL_MOD,
  },
  {
    id: "fabric.dependency-missing",
    class: "missing_dependency",
    pattern: String.raw`requires (?:any version|version .+?) of (?:mod )?'?(?<name>[\w-]+)'?(?: \([\w-]+\))?, which is missing`,
    suggestion: INSTALL_MOD,
  },
  {
    id: "fabric.install-suggestion",
    class: "missing_dependency",
    pattern: String.raw`^\s*- Install (?<name>[\w-]+), `,
    suggestion: INSTALL_MOD,
  },
  {
    id: "bukkit.missing-dependency-plugins",
    class: "missing_dependency",
    pattern: String.raw`missing dependency plugins: \[(?<name>[^\],]+)`,
    suggestion: "Install the plugin {name}: another plugin depends on it.",
  },
  {
    id: "bukkit.unknown-dependency",
    class: "missing_dependency",
    pattern: String.raw`UnknownDependencyException: (?:Unknown dependency )?(?<name>[\w-]+)`,
    suggestion: "Install the plugin {name}: another plugin depends on it.",
  },
  {
    id: "node.module-not-found",
    class: "missing_dependency",
    pattern: String.raw`Cannot find (?:module|package) '(?<name>[^']+)'`,
    suggestion:
      "The module {name} is not installed. Run npm install (or add it to package.json) in the server's folder.",
  },
  {
    id: "python.module-not-found",
    class: "missing_dependency",
    pattern: String.raw`(?:ModuleNotFoundError|ImportError): No module named '?(?<name>[\w.]+)`,
    suggestion:
      "The Python module {name} is not installed. Add it to requirements.txt and install it (pip install).",
  },

  // --- a mod or plugin failed, named by the loader ---
  {
    id: "forge.mod-failed",
    class: "mod_or_plugin_error",
    pattern: String.raw`\((?<name>[\w-]+)\) has failed to load correctly`,
    suggestion: FIX_MOD,
  },
  {
    id: "forge.mod-instance",
    class: "mod_or_plugin_error",
    pattern: String.raw`Failed to create mod instance\. ModID: (?<name>[\w-]+)`,
    suggestion: FIX_MOD,
  },
  {
    id: "forge.mod-event-phase",
    class: "mod_or_plugin_error",
    pattern: String.raw`\((?<name>[\w-]+)\) encountered an error during the [\w ]+ phase`,
    suggestion: FIX_MOD,
  },
  {
    id: "neoforge.event-dispatch",
    class: "mod_or_plugin_error",
    pattern: String.raw`Caught exception during event \w+ dispatch for modid (?<name>[\w-]+)`,
    suggestion: FIX_MOD,
  },
  {
    id: "forge.caught-exception",
    class: "mod_or_plugin_error",
    pattern: String.raw`Caught exception from (?:[^()]*\()?(?<name>[\w-]+)`,
    suggestion: FIX_MOD,
  },
  {
    id: "minecraft.crash-report-mod",
    class: "mod_or_plugin_error",
    pattern: String.raw`^-- MOD (?<name>[\w-]+) --$`,
    suggestion: FIX_MOD,
  },
  {
    id: "fabric.entrypoint",
    class: "mod_or_plugin_error",
    pattern: String.raw`Could not execute entrypoint stage '\w+' due to errors, provided by '(?<name>[\w-]+)'`,
    suggestion: FIX_MOD,
  },
  {
    id: "mixin.apply-failed-for-mod",
    class: "mod_or_plugin_error",
    pattern: String.raw`Mixin apply for mod (?<name>[\w-]+) failed`,
    suggestion: FIX_MOD,
  },
  {
    id: "mixin.apply-failed",
    class: "mod_or_plugin_error",
    pattern: String.raw`Mixin apply failed (?:mixins\.)?(?<name>[\w-]+?)(?:\.mixins)?\.json`,
    suggestion: FIX_MOD,
  },
  {
    id: "minecraft.suspected-mod",
    class: "mod_or_plugin_error",
    pattern: String.raw`Suspected Mods?: (?!none\b|unknown\b)(?:[^()]*\()?(?<name>[\w-]+)`,
    suggestion: FIX_MOD,
  },
  {
    id: "bukkit.plugin-failed",
    class: "mod_or_plugin_error",
    pattern: String.raw`Error occurred (?:\(in the plugin loader\) )?while (?:enabling|loading|initializing) (?<name>\S+)`,
    suggestion: FIX_PLUGIN,
  },
  {
    id: "bukkit.could-not-load",
    class: "mod_or_plugin_error",
    pattern: String.raw`Could not load (?:plugin )?'(?:plugins/)?(?<name>[^'/]+?)(?:\.jar)?' in folder`,
    suggestion: FIX_PLUGIN,
  },
  {
    id: "bukkit.event-failed",
    class: "mod_or_plugin_error",
    pattern: String.raw`Could not pass event \w+ to (?<name>\S+)`,
    suggestion: FIX_PLUGIN,
  },
  {
    id: "bukkit.task-failed",
    class: "mod_or_plugin_error",
    pattern: String.raw`(?:Plugin|Task #\d+ for) (?<name>\S+) v\S+ generated an exception`,
    suggestion: FIX_PLUGIN,
  },
  {
    id: "bukkit.command-failed",
    class: "mod_or_plugin_error",
    pattern: String.raw`Unhandled exception executing command '[^']*' in plugin (?<name>\S+)`,
    suggestion: FIX_PLUGIN,
  },

  // --- a mod or plugin only appears in the crash's stack trace ---
  {
    id: "java.stack-frame-jar",
    class: "mod_or_plugin_error",
    pattern: String.raw`^\s*at \S+\(.*\) ~?\[(?!(?:${PLATFORM_JARS})[-_.\d]|\?)(?<name>[\w.+-]+?)(?:-\d[\w.+-]*)?\.jar`,
    suggestion:
      "The crash's stack trace runs through {name}. Update or remove it, and report the crash to its author.",
  },
];
