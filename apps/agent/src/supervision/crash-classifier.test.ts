import { CrashRule, type CrashClass } from "@berth/protocol";
import { describe, expect, it } from "vitest";
import type { ExitInfo } from "../drivers/driver";
import { classifyCrash, type CrashEvidence } from "./crash-classifier";
import { BUILTIN_CRASH_RULES } from "./crash-rules";

const code = (exitCode: number): ExitInfo => ({ exitCode, signal: null, oomKilled: false });
const MIB = 1024 * 1024;

interface Sample {
  family: string;
  what: string;
  log: string;
  exit?: ExitInfo;
  expected: { class: CrashClass; matchedRule: string; subject: string | null };
}

// Log tails as the servers print them (timestamps and all); the agent has removed ANSI codes.
const SAMPLES: Sample[] = [
  // --- Forge ---
  {
    family: "Forge",
    what: "a mod that fails to construct",
    log: String.raw`[12:01:22] [main/INFO] [net.minecraftforge.server.loading.ServerModLoader/]: Forge mod loading, version 47.2.0, for MC 1.20.1 with MCP 20230612.114412
[12:01:25] [modloading-worker-0/ERROR] [net.minecraftforge.fml.javafmlmod.FMLModContainer/LOADING]: Exception caught during firing event: Cannot invoke "net.minecraft.world.item.Item.m_41720_()" because "item" is null
[12:01:26] [main/FATAL] [net.minecraftforge.fml.ModLoader/]: Failed to complete lifecycle event CONSTRUCT, 1 errors found
net.minecraftforge.fml.ModLoadingException: Better Furnaces (betterfurnacesreforged) has failed to load correctly
§7java.lang.NullPointerException: Cannot invoke "net.minecraft.world.item.Item.m_41720_()" because "item" is null`,
    expected: {
      class: "mod_or_plugin_error",
      matchedRule: "forge.mod-failed",
      subject: "betterfurnacesreforged",
    },
  },
  {
    family: "Forge",
    what: "a mod whose class cannot be instantiated",
    log: String.raw`[12:00:04] [modloading-worker-0/ERROR] [net.minecraftforge.fml.javafmlmod.FMLModContainer/LOADING]: Failed to create mod instance. ModID: examplemod, class com.example.examplemod.ExampleMod
java.lang.reflect.InvocationTargetException: null`,
    expected: {
      class: "mod_or_plugin_error",
      matchedRule: "forge.mod-instance",
      subject: "examplemod",
    },
  },
  {
    family: "Forge",
    what: "a missing mandatory dependency",
    log: `[12:00:03] [main/ERROR] [net.minecraftforge.fml.loading.ModSorter/LOADING]: Missing or unsupported mandatory dependencies:
\tMod ID: 'jei', Requested by: 'justenoughresources', Expected range: '[15.2.0.27,)', Actual version: '[MISSING]'
[12:00:03] [main/FATAL] [net.minecraftforge.server.loading.ServerModLoader/]: Failed to complete lifecycle event SORTING, 1 errors found`,
    expected: {
      class: "missing_dependency",
      matchedRule: "forge.missing-mandatory-dependency",
      subject: "jei",
    },
  },
  {
    family: "Forge",
    what: "a missing mod on 1.12",
    log: String.raw`[12:00:09] [Server thread/ERROR] [FML]: The following problems were captured during this phase
net.minecraftforge.fml.common.MissingModsException: Mod pamhc2crops (Pam's HarvestCraft 2 - Crops) requires [pamhc2foodcore@[1.0.0,)]`,
    expected: {
      class: "missing_dependency",
      matchedRule: "forge.missing-mods",
      subject: "pamhc2foodcore",
    },
  },
  {
    family: "Forge",
    what: "a mod's exception on 1.12",
    log: String.raw`net.minecraftforge.fml.common.LoaderExceptionModCrash: Caught exception from Biomes O' Plenty (biomesoplenty)
Caused by: java.lang.IllegalArgumentException: Duplicate id value for 40!`,
    expected: {
      class: "mod_or_plugin_error",
      matchedRule: "forge.caught-exception",
      subject: "biomesoplenty",
    },
  },
  {
    family: "Forge",
    what: "a mod named by the crash report",
    log: `---- Minecraft Crash Report ----
Description: Mod loading error has occurred

java.lang.Exception: Mod Loading has failed
-- MOD createaddition --
Details:
\tCaused by 0: java.lang.reflect.InvocationTargetException`,
    expected: {
      class: "mod_or_plugin_error",
      matchedRule: "minecraft.crash-report-mod",
      subject: "createaddition",
    },
  },
  {
    family: "Forge",
    what: "a mod that only appears in the stack trace",
    log: String.raw`---- Minecraft Crash Report ----
// Quite honestly, I wouldn't worry myself about that.

Time: 2024-03-02 12:04:11
Description: Ticking entity

java.lang.NullPointerException: Cannot invoke "net.minecraft.world.entity.LivingEntity.m_21223_()" because "target" is null
	at net.minecraft.world.entity.ai.goal.GoalSelector.m_25373_(GoalSelector.java:86) ~[server-1.20.1-20230612.114412-srg.jar%23186!/:?] {re:classloading}
	at com.github.alexthe666.alexsmobs.entity.ai.CreatureAITargetItems.m_8036_(CreatureAITargetItems.java:61) ~[alexsmobs-1.22.8.jar%23145!/:1.22.8] {re:classloading}
	at net.minecraft.world.entity.ai.goal.WrappedGoal.m_8036_(WrappedGoal.java:30) ~[server-1.20.1-20230612.114412-srg.jar%23186!/:?] {re:classloading}`,
    expected: {
      class: "mod_or_plugin_error",
      matchedRule: "java.stack-frame-jar",
      subject: "alexsmobs",
    },
  },
  {
    family: "Forge",
    what: "a mixin that cannot be applied",
    log: String.raw`[12:00:06] [main/ERROR] [mixin/]: Mixin apply failed examplemod.mixins.json:ServerLevelMixin -> net.minecraft.server.level.ServerLevel: org.spongepowered.asm.mixin.injection.throwables.InvalidInjectionException Critical injection failure`,
    expected: {
      class: "mod_or_plugin_error",
      matchedRule: "mixin.apply-failed",
      subject: "examplemod",
    },
  },

  // --- Fabric ---
  {
    family: "Fabric",
    what: "a mod that needs Fabric API",
    log: `[12:00:01] [main/INFO]: Loading Minecraft 1.20.1 with Fabric Loader 0.14.22
[12:00:01] [main/ERROR]: Incompatible mods found!
net.fabricmc.loader.impl.FormattedException: Some of your mods are incompatible with the game or each other!
A potential solution has been determined:
\t - Install fabric-api, any version.
Unmet dependency listing:
\t - Mod 'Sodium Extra' (sodium-extra) 0.5.1+mc1.20.1-build.112 requires any version of fabric-api, which is missing!
\tat net.fabricmc.loader.impl.FormattedException.ofLocalized(FormattedException.java:51) ~[fabric-loader-0.14.22.jar:?]`,
    expected: {
      class: "missing_dependency",
      matchedRule: "fabric.dependency-missing",
      subject: "fabric-api",
    },
  },
  {
    family: "Fabric",
    what: "only the loader's proposed solution",
    log: `[12:00:01] [main/ERROR]: Incompatible mods found!
A potential solution has been determined:
\t - Install cloth-config, version 11.1.106 or later.`,
    expected: {
      class: "missing_dependency",
      matchedRule: "fabric.install-suggestion",
      subject: "cloth-config",
    },
  },
  {
    family: "Fabric",
    what: "a mod's entrypoint that throws",
    log: String.raw`[12:00:09] [main/ERROR]: Failed to start the minecraft server
java.lang.RuntimeException: Could not execute entrypoint stage 'main' due to errors, provided by 'waystones' at 'net.blay09.mods.waystones.fabric.FabricWaystones'!
	at net.fabricmc.loader.impl.FabricLoaderImpl.lambda$invokeEntrypoints$2(FabricLoaderImpl.java:388) ~[fabric-loader-0.14.22.jar:?]
Caused by: java.lang.IllegalStateException: Registry is already frozen`,
    expected: {
      class: "mod_or_plugin_error",
      matchedRule: "fabric.entrypoint",
      subject: "waystones",
    },
  },
  {
    family: "Fabric",
    what: "a mod's mixin that fails",
    log: String.raw`[12:00:07] [main/ERROR]: Mixin apply for mod lithium failed lithium.mixins.json:ai.poi.PointOfInterestStorageMixin from mod lithium -> net.minecraft.class_4153: org.spongepowered.asm.mixin.transformer.throwables.InvalidMixinException`,
    expected: {
      class: "mod_or_plugin_error",
      matchedRule: "mixin.apply-failed-for-mod",
      subject: "lithium",
    },
  },
  {
    family: "Fabric",
    what: "a mod suspected by the crash report",
    log: `---- Minecraft Crash Report ----
Description: Exception in server tick loop

-- Head --
Thread: Server thread
Suspected Mods: Carpet (carpet), Version: 1.4.112
Stacktrace:
\tat net.minecraft.class_3218.method_18765(class_3218.java:412)`,
    expected: {
      class: "mod_or_plugin_error",
      matchedRule: "minecraft.suspected-mod",
      subject: "carpet",
    },
  },

  // --- NeoForge ---
  {
    family: "NeoForge",
    what: "a mod that fails in common setup",
    log: `[12:10:44] [main/ERROR] [ne.ne.fm.ModLoader/LOADING]: Caught exception during event FMLCommonSetupEvent dispatch for modid createaddition
[12:10:44] [main/FATAL] [ne.ne.fm.ModLoader/]: Failed to complete lifecycle event COMMON_SETUP, 1 errors found
net.neoforged.fml.ModLoadingException: Loading errors encountered:
\t- Create Crafts & Additions (createaddition) encountered an error during the common_setup event phase
§7java.lang.NullPointerException: Cannot invoke "com.simibubi.create.foundation.data.CreateRegistrate.getModid()" because "REGISTRATE" is null`,
    expected: {
      class: "mod_or_plugin_error",
      matchedRule: "forge.mod-event-phase",
      subject: "createaddition",
    },
  },
  {
    family: "NeoForge",
    what: "an event handler that throws, named by mod id only",
    log: `[12:10:44] [main/ERROR] [ne.ne.fm.ModLoader/LOADING]: Caught exception during event RegisterEvent dispatch for modid mekanism
java.lang.IllegalStateException: Duplicate registration mekanism:steel_casing`,
    expected: {
      class: "mod_or_plugin_error",
      matchedRule: "neoforge.event-dispatch",
      subject: "mekanism",
    },
  },
  {
    family: "NeoForge",
    what: "a dependency that is not installed",
    log: `[12:00:02] [main/ERROR] [ne.ne.fm.ModLoader/LOADING]: §eMod §emowziesmobs§r requires §6geckolib§r §64.4.9§r or above
\t§7Currently, §6geckolib§r§7 is §cnot installed`,
    expected: {
      class: "missing_dependency",
      matchedRule: "neoforge.dependency-not-installed",
      subject: "geckolib",
    },
  },

  // --- Paper ---
  {
    family: "Paper",
    what: "a plugin that fails to enable",
    log: String.raw`[12:00:04 INFO]: [LuckPerms] Enabling LuckPerms v5.4.102
[12:00:05 ERROR]: Error occurred while enabling Shopkeepers v2.17.2 (Is it up to date?)
java.lang.NoSuchMethodError: 'org.bukkit.inventory.ItemStack org.bukkit.inventory.meta.SkullMeta.getOwningPlayer()'
	at com.nisovin.shopkeepers.SKShopkeepersPlugin.onEnable(SKShopkeepersPlugin.java:224) ~[Shopkeepers-2.17.2.jar:?]
	at org.bukkit.plugin.java.JavaPlugin.setEnabled(JavaPlugin.java:281) ~[paper-api-1.20.4-R0.1-SNAPSHOT.jar:?]`,
    expected: {
      class: "mod_or_plugin_error",
      matchedRule: "bukkit.plugin-failed",
      subject: "Shopkeepers",
    },
  },
  {
    family: "Paper",
    what: "a plugin whose dependency is missing",
    log: `[12:00:02 ERROR]: Could not load 'plugins/EssentialsChat-2.20.1.jar' in folder 'plugins'
org.bukkit.plugin.UnknownDependencyException: Unknown/missing dependency plugins: [Essentials]. Please download and install these plugins to run 'EssentialsChat'.
\tat org.bukkit.plugin.SimplePluginManager.loadPlugins(SimplePluginManager.java:301) ~[paper-api-1.20.4-R0.1-SNAPSHOT.jar:?]`,
    expected: {
      class: "missing_dependency",
      matchedRule: "bukkit.missing-dependency-plugins",
      subject: "Essentials",
    },
  },
  {
    family: "Paper",
    what: "a plugin with a broken plugin.yml",
    log: `[12:00:02 ERROR]: Could not load 'plugins/BrokenPlugin.jar' in folder 'plugins'
org.bukkit.plugin.InvalidDescriptionException: Invalid plugin.yml`,
    expected: {
      class: "mod_or_plugin_error",
      matchedRule: "bukkit.could-not-load",
      subject: "BrokenPlugin",
    },
  },
  {
    family: "Paper",
    what: "a command that throws in a plugin",
    log: `[12:30:11 ERROR]: Command exception: /home
org.bukkit.command.CommandException: Unhandled exception executing command 'home' in plugin EssentialsX v2.20.1`,
    expected: {
      class: "mod_or_plugin_error",
      matchedRule: "bukkit.command-failed",
      subject: "EssentialsX",
    },
  },
  {
    family: "Paper",
    what: "a hang caught by the liveness check (the watchdog also spoke)",
    log: `[12:30:00 ERROR]: ------------------------------
[12:30:00 ERROR]: The server has stopped responding! This is (probably) not a Paper bug.
[12:30:00 ERROR]: Could not pass event EntityDamageEvent to CombatLogX v11.4`,
    expected: { class: "hung", matchedRule: "liveness:tcp", subject: null },
  },

  // --- Spigot ---
  {
    family: "Spigot",
    what: "an event handler that throws",
    log: String.raw`[12:05:10] [Server thread/ERROR]: Could not pass event PlayerJoinEvent to WelcomeMessages v1.3
org.bukkit.event.EventException: null
	at org.bukkit.plugin.java.JavaPluginLoader$1.execute(JavaPluginLoader.java:306) ~[spigot-api-1.20.4-R0.1-SNAPSHOT.jar:?]
Caused by: java.lang.NullPointerException
	at com.example.welcome.JoinListener.onJoin(JoinListener.java:18) ~[?:?]`,
    expected: {
      class: "mod_or_plugin_error",
      matchedRule: "bukkit.event-failed",
      subject: "WelcomeMessages",
    },
  },
  {
    family: "Spigot",
    what: "a scheduled task that throws",
    log: `[12:05:10] [Server thread/WARN]: [AutoSave] Plugin AutoSave v2.1 generated an exception while executing task 42
java.lang.IllegalStateException: Asynchronous chunk save!`,
    expected: {
      class: "mod_or_plugin_error",
      matchedRule: "bukkit.task-failed",
      subject: "AutoSave",
    },
  },
  {
    family: "Spigot",
    what: "an unknown dependency (older servers)",
    log: `[12:00:02] [Server thread/ERROR]: Could not load 'plugins/ChestShop.jar' in folder 'plugins'
org.bukkit.plugin.UnknownDependencyException: Vault`,
    expected: {
      class: "missing_dependency",
      matchedRule: "bukkit.unknown-dependency",
      subject: "Vault",
    },
  },
  {
    family: "Spigot",
    what: "a plugin frame in the stack trace of a server crash",
    log: String.raw`[12:40:01] [Server thread/ERROR]: Encountered an unexpected exception
java.lang.IllegalArgumentException: Plugin attempted to register a null listener
	at org.bukkit.plugin.SimplePluginManager.registerEvents(SimplePluginManager.java:520) ~[spigot-api-1.20.4-R0.1-SNAPSHOT.jar:?]
	at me.example.claims.ClaimsPlugin.reload(ClaimsPlugin.java:77) ~[Claims-3.0.jar:?]`,
    expected: {
      class: "mod_or_plugin_error",
      matchedRule: "java.stack-frame-jar",
      subject: "Claims",
    },
  },

  // --- Java ---
  {
    family: "Java",
    what: "heap exhausted",
    log: String.raw`[12:40:01] [Server thread/ERROR]: Encountered an unexpected exception
java.lang.OutOfMemoryError: Java heap space
	at java.util.Arrays.copyOf(Arrays.java:3512) ~[?:?]`,
    expected: { class: "oom", matchedRule: "java.out-of-memory", subject: null },
  },
  {
    family: "Java",
    what: "native memory exhausted",
    log: `#
# There is insufficient memory for the Java Runtime Environment to continue.
# Native memory allocation (mmap) failed to map 2147483648 bytes for committing reserved memory.
# An error report file with more information is saved as:
# /data/hs_err_pid7.log`,
    expected: { class: "oom", matchedRule: "java.native-memory", subject: null },
  },
  {
    family: "Java",
    what: "a class that is not on the class path",
    log: String.raw`Exception in thread "main" java.lang.NoClassDefFoundError: org/slf4j/LoggerFactory
	at com.example.server.Main.<clinit>(Main.java:12)
Caused by: java.lang.ClassNotFoundException: org.slf4j.LoggerFactory
	at java.base/jdk.internal.loader.BuiltinClassLoader.loadClass(BuiltinClassLoader.java:641)`,
    expected: {
      class: "missing_dependency",
      matchedRule: "java.class-not-found",
      subject: "org.slf4j.LoggerFactory",
    },
  },
  {
    family: "Java",
    what: "a class definition that went missing",
    log: String.raw`Exception in thread "Server thread" java.lang.NoClassDefFoundError: net/kyori/adventure/text/Component
	at com.example.chat.ChatFormatter.format(ChatFormatter.java:40)`,
    expected: {
      class: "missing_dependency",
      matchedRule: "java.no-class-def",
      subject: "net/kyori/adventure/text/Component",
    },
  },
  {
    family: "Java",
    what: "a native library that cannot be linked",
    log: `Exception in thread "main" java.lang.UnsatisfiedLinkError: no lwjgl in java.library.path: /usr/java/packages/lib:/usr/lib64:/lib64:/lib:/usr/lib`,
    expected: {
      class: "missing_dependency",
      matchedRule: "java.unsatisfied-link",
      subject: "lwjgl",
    },
  },
  {
    family: "Java",
    what: "a native method without its library",
    log: `Exception in thread "main" java.lang.UnsatisfiedLinkError: 'long org.rocksdb.RocksDB.open(long, java.lang.String)'
	at org.rocksdb.RocksDB.open(Native Method)`,
    expected: {
      class: "missing_dependency",
      matchedRule: "java.unsatisfied-link-unnamed",
      subject: null,
    },
  },
  {
    family: "Java",
    what: "a server built for a newer Java",
    log: `Error: LinkageError occurred while loading main class net.minecraft.bundler.Main
\tjava.lang.UnsupportedClassVersionError: net/minecraft/bundler/Main has been compiled by a more recent version of the Java Runtime (class file version 65.0), this version of the Java Runtime only recognizes class file versions up to 61.0`,
    expected: {
      class: "missing_dependency",
      matchedRule: "java.unsupported-class-version",
      subject: "net/minecraft/bundler/Main",
    },
  },
  {
    family: "Java",
    what: "an exception nobody names",
    log: String.raw`Exception in thread "main" java.lang.IllegalStateException: server.properties: invalid port
	at com.example.server.Config.load(Config.java:33)`,
    expected: { class: "nonzero_exit", matchedRule: "exit:nonzero", subject: null },
  },

  // --- Node ---
  {
    family: "Node",
    what: "a module that is not installed",
    log: `node:internal/modules/cjs/loader:1080
  throw err;
  ^

Error: Cannot find module 'discord.js'
Require stack:
- /data/index.js
    at Module._resolveFilename (node:internal/modules/cjs/loader:1077:15) {
  code: 'MODULE_NOT_FOUND',`,
    expected: {
      class: "missing_dependency",
      matchedRule: "node.module-not-found",
      subject: "discord.js",
    },
  },
  {
    family: "Node",
    what: "an ES module package that is not installed",
    log: `node:internal/errors:496
    ErrorCaptureStackTrace(err);
    ^

Error [ERR_MODULE_NOT_FOUND]: Cannot find package 'express' imported from /data/server.mjs`,
    expected: {
      class: "missing_dependency",
      matchedRule: "node.module-not-found",
      subject: "express",
    },
  },
  {
    family: "Node",
    what: "heap exhausted",
    log: `<--- Last few GCs --->
[27:0x5d8e4f0]    31875 ms: Mark-sweep 2045.6 (2083.2) -> 2044.9 (2083.2) MB, 1540.2 / 0.0 ms  (average mu = 0.120, current mu = 0.003) allocation failure; scavenge might not succeed
FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory
 1: 0xb7a940 node::Abort() [node]`,
    exit: { exitCode: null, signal: "SIGABRT", oomKilled: false },
    expected: { class: "oom", matchedRule: "node.heap-out-of-memory", subject: null },
  },

  // --- Python ---
  {
    family: "Python",
    what: "a module that is not installed",
    log: `Traceback (most recent call last):
  File "/data/bot.py", line 3, in <module>
    import discord
ModuleNotFoundError: No module named 'discord'`,
    expected: {
      class: "missing_dependency",
      matchedRule: "python.module-not-found",
      subject: "discord",
    },
  },
  {
    family: "Python",
    what: "memory exhausted",
    log: `Traceback (most recent call last):
  File "/data/server.py", line 40, in <module>
    world = [[0] * 100_000_000 for _ in range(100)]
MemoryError`,
    expected: { class: "oom", matchedRule: "python.memory-error", subject: null },
  },
  {
    family: "Python",
    what: "an ordinary exception",
    log: `Traceback (most recent call last):
  File "/data/server.py", line 12, in <module>
    port = config["port"]
KeyError: 'port'`,
    expected: { class: "nonzero_exit", matchedRule: "exit:nonzero", subject: null },
  },

  // --- native binaries ---
  {
    family: "native",
    what: "a shared library the image lacks",
    log: `./bedrock_server: error while loading shared libraries: libcurl.so.4: cannot open shared object file: No such file or directory`,
    exit: code(127),
    expected: {
      class: "missing_dependency",
      matchedRule: "native.shared-library",
      subject: "libcurl.so.4",
    },
  },
  {
    family: "native",
    what: "a C library that is too old",
    log: "./srcds_linux: /lib/x86_64-linux-gnu/libc.so.6: version `GLIBC_2.34' not found (required by ./srcds_linux)",
    expected: {
      class: "missing_dependency",
      matchedRule: "native.glibc-version",
      subject: "GLIBC_2.34",
    },
  },
  {
    family: "native",
    what: "a command the image does not have",
    log: "sh: 1: java: not found",
    exit: code(127),
    expected: {
      class: "missing_dependency",
      matchedRule: "shell.command-not-found",
      subject: "java",
    },
  },
  {
    family: "native",
    what: "an allocation that fails",
    log: `terminate called after throwing an instance of 'std::bad_alloc'
  what():  std::bad_alloc`,
    exit: { exitCode: null, signal: "SIGABRT", oomKilled: false },
    expected: { class: "oom", matchedRule: "native.bad-alloc", subject: null },
  },
  {
    family: "native",
    what: "a segmentation fault",
    log: "[2024-03-02 12:00:00:123 INFO] Starting Server",
    exit: { exitCode: null, signal: "SIGSEGV", oomKilled: false },
    expected: { class: "nonzero_exit", matchedRule: "exit:signal", subject: null },
  },
];

function evidence(sample: Sample): CrashEvidence {
  return {
    exit: sample.exit ?? code(1),
    logTail: sample.log.split("\n"),
    ...(sample.expected.class === "hung"
      ? { hung: { check: "tcp" as const, detail: "connection refused on 127.0.0.1:25565" } }
      : {}),
  };
}

describe("classifyCrash on real-looking logs", () => {
  it.each(SAMPLES.map((s) => [s.family, s.what, s] as const))("%s: %s", (_f, _w, sample) => {
    const result = classifyCrash(evidence(sample));
    expect(result).toMatchObject(sample.expected);
    expect(result.suggestion.length).toBeGreaterThan(10);
    expect(result.suggestion.length).toBeLessThanOrEqual(400);
    if (sample.expected.subject) expect(result.suggestion).toContain(sample.expected.subject);
    expect(result.suggestion).not.toContain("{name}");
  });

  it("has samples of every family and every class", () => {
    expect(new Set(SAMPLES.map((s) => s.family))).toEqual(
      new Set([
        "Forge",
        "Fabric",
        "NeoForge",
        "Paper",
        "Spigot",
        "Java",
        "Node",
        "Python",
        "native",
      ]),
    );
    const classes = new Set(SAMPLES.map((s) => s.expected.class));
    for (const c of ["oom", "missing_dependency", "mod_or_plugin_error", "hung", "nonzero_exit"]) {
      expect(classes).toContain(c);
    }
  });

  it("has a sample for every built-in rule", () => {
    const matched = new Set(SAMPLES.map((s) => s.expected.matchedRule));
    expect(BUILTIN_CRASH_RULES.map((r) => r.id).filter((id) => !matched.has(id))).toEqual([]);
  });
});

describe("classifyCrash from the exit", () => {
  const noise = ['[12:00:00 INFO]: Done (3.2s)! For help, type "help"'];

  it("an exit with code 0 is unexpected_exit", () => {
    expect(classifyCrash({ exit: code(0), logTail: noise })).toMatchObject({
      class: "unexpected_exit",
      matchedRule: "exit:0",
      subject: null,
    });
  });

  it("another code is nonzero_exit, with a hint for well-known codes", () => {
    expect(classifyCrash({ exit: code(3), logTail: noise })).toMatchObject({
      class: "nonzero_exit",
      matchedRule: "exit:nonzero",
      suggestion: "The process exited with code 3. The last lines of the log usually say why.",
    });
    expect(classifyCrash({ exit: code(127), logTail: [] }).suggestion).toContain("not found");
  });

  it("the OOM-killed flag is oom whatever the log says", () => {
    expect(
      classifyCrash({
        exit: { exitCode: 137, signal: null, oomKilled: true },
        logTail: ["Error occurred while enabling Shopkeepers v2.17.2 (Is it up to date?)"],
      }),
    ).toMatchObject({ class: "oom", matchedRule: "exit:oom-killed" });
  });

  it("exit 137 is oom when the last sample was at about the limit, and only then", () => {
    const at = (used: number) =>
      classifyCrash({
        exit: code(137),
        logTail: noise,
        memory: { usedBytes: used, limitBytes: 32 * MIB },
      });
    expect(at(31 * MIB)).toMatchObject({ class: "oom", matchedRule: "exit:137+memory" });
    expect(at(32 * MIB)).toMatchObject({ class: "oom" });
    expect(at(29 * MIB)).toMatchObject({ class: "nonzero_exit", matchedRule: "exit:nonzero" });
    expect(classifyCrash({ exit: code(137), logTail: noise })).toMatchObject({
      class: "nonzero_exit",
    });
    expect(
      classifyCrash({ exit: code(1), logTail: noise, memory: { usedBytes: 32, limitBytes: 32 } }),
    ).toMatchObject({ class: "nonzero_exit" });
  });

  it("a failed liveness check is hung, named after the check", () => {
    expect(
      classifyCrash({
        exit: { exitCode: 137, signal: "SIGKILL", oomKilled: false },
        logTail: noise,
        hung: { check: "console", detail: "no line matching /pong/ within 2000 ms" },
      }),
    ).toMatchObject({
      class: "hung",
      matchedRule: "liveness:console",
      suggestion: expect.stringContaining("no line matching /pong/ within 2000 ms"),
    });
  });
});

describe("template rules", () => {
  const templateRule: CrashRule = {
    id: "valheim.world-locked",
    class: "mod_or_plugin_error",
    pattern: String.raw`World (?<name>\w+) is locked by another process`,
    suggestion: "The world {name} is open elsewhere; stop the other server first.",
  };

  it("are tried before the built-in rules", () => {
    const rule: CrashRule = {
      id: "ours.vault-soft",
      class: "mod_or_plugin_error",
      pattern: "UnknownDependencyException",
      suggestion: "Vault is optional here; fix the plugin's config.",
    };
    const logTail = ["org.bukkit.plugin.UnknownDependencyException: Vault"];
    expect(classifyCrash({ exit: code(1), logTail })).toMatchObject({
      matchedRule: "bukkit.unknown-dependency",
    });
    expect(classifyCrash({ exit: code(1), logTail, rules: [rule] })).toMatchObject({
      class: "mod_or_plugin_error",
      matchedRule: "ours.vault-soft",
      subject: null,
    });
  });

  it("name their subject and fill it into the suggestion, case-insensitively", () => {
    expect(
      classifyCrash({
        exit: code(1),
        logTail: ["[Error] world Dedicated IS LOCKED BY ANOTHER PROCESS"],
        rules: [templateRule],
      }),
    ).toEqual({
      class: "mod_or_plugin_error",
      matchedRule: "valheim.world-locked",
      subject: "Dedicated",
      suggestion: "The world Dedicated is open elsewhere; stop the other server first.",
    });
  });

  it("a rule without a name group leaves no placeholder behind", () => {
    const unnamed = { ...templateRule, pattern: "is locked by another process" };
    expect(
      classifyCrash({
        exit: code(1),
        logTail: ["World x is locked by another process"],
        rules: [unnamed],
      }).suggestion,
    ).toBe("The world (unnamed) is open elsewhere; stop the other server first.");
  });
});

describe("the built-in rules", () => {
  it("are valid crash rules with unique ids", () => {
    for (const rule of BUILTIN_CRASH_RULES) expect(CrashRule.parse(rule)).toEqual(rule);
    const ids = BUILTIN_CRASH_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
