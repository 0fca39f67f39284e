#!/usr/bin/env node
// Runs the agent's TypeScript sources directly; the monorepo ships no separate build step.
import { register } from "tsx/esm/api";

register();
await import("../src/cli/main.ts");
