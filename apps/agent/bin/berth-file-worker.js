#!/usr/bin/env node
// The agent's file worker: file operations as a server's own user (see src/files/owner-workers.ts).
import { register } from "tsx/esm/api";

register();
await import("../src/files/file-worker-main.ts");
