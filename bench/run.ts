// `npm run bench -- <name> [--quick]`: runs one benchmark; its last output line is one JSON object.
import { readdirSync } from "node:fs";

const [name, ...rest] = process.argv.slice(2);
const available = readdirSync(import.meta.dirname)
  .filter((f) => f.endsWith(".bench.ts"))
  .map((f) => f.replace(/\.bench\.ts$/, ""));
if (!name || !available.includes(name)) {
  console.error(`usage: npm run bench -- <${available.join("|")}> [--quick]`);
  process.exit(2);
}
const bench = (await import(`./${name}.bench.ts`)) as {
  run(opts: { quick: boolean }): Promise<Record<string, unknown>>;
};
const result = await bench.run({ quick: rest.includes("--quick") });
console.log(JSON.stringify(result));
process.exit(0);
