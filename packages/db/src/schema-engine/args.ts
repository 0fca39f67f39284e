export interface EngineDatasource {
  url?: string;
  shadowDatabaseUrl?: string;
}

export interface EngineArgs {
  /** Paths of the Prisma schema files (`--datamodels`, repeatable; `-d`). */
  datamodels: string[];
  datasource: EngineDatasource;
  version: boolean;
  help: boolean;
  /** `cli <command>`: one-shot commands instead of the JSON-RPC server. */
  cliCommand?: string;
}

/**
 * Parses the arguments the Prisma CLI passes to its schema engine binary:
 * `--datamodels FILE...`, `--datasource JSON`, `--enabled-preview-features LIST`,
 * `--extension-types JSON`, `--version`, and the `cli can-connect-to-database|create-database|
 * drop-database` subcommands.
 */
export function parseEngineArgs(argv: readonly string[]): EngineArgs {
  const args: EngineArgs = { datamodels: [], datasource: {}, version: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    const [flag, inline] = arg.startsWith("--") && arg.includes("=") ? splitOnce(arg) : [arg];
    const value = () => {
      if (inline !== undefined) return inline;
      const next = argv[++i];
      if (next === undefined) throw new Error(`${flag} needs a value`);
      return next;
    };
    switch (flag) {
      case "--datamodels":
      case "--datamodel":
      case "-d":
        args.datamodels.push(value());
        // structopt also accepts `--datamodels a b c`.
        while (argv[i + 1] !== undefined && !argv[i + 1]?.startsWith("-") && argv[i + 1] !== "cli")
          args.datamodels.push(argv[++i] ?? "");
        break;
      case "--datasource":
        args.datasource = parseDatasource(value());
        break;
      case "--enabled-preview-features":
      case "--extension-types":
        value();
        break;
      case "--version":
      case "-V":
        args.version = true;
        break;
      case "--help":
      case "-h":
        args.help = true;
        break;
      case "cli":
        args.cliCommand = argv[++i];
        break;
      default:
        throw new Error(`unknown argument: ${arg}`);
    }
  }
  return args;
}

function splitOnce(arg: string): [string, string] {
  const at = arg.indexOf("=");
  return [arg.slice(0, at), arg.slice(at + 1)];
}

function parseDatasource(json: string): EngineDatasource {
  const parsed: unknown = JSON.parse(json);
  if (typeof parsed !== "object" || parsed === null) throw new Error("--datasource: not an object");
  const { url, shadowDatabaseUrl } = parsed as Record<string, unknown>;
  return {
    url: typeof url === "string" ? url : undefined,
    shadowDatabaseUrl: typeof shadowDatabaseUrl === "string" ? shadowDatabaseUrl : undefined,
  };
}
