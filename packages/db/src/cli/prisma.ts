// `tsx src/cli/prisma.ts <prisma args>`: the real Prisma CLI, offline, from the repository root.
import { runPrisma } from "../prisma-cli";

const { code } = await runPrisma(process.argv.slice(2));
process.exitCode = code;
