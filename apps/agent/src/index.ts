export { startAgent, type RunningAgent } from "./agent";
export { loadAgentConfig, configPath, AgentConfig } from "./config";
export { ServerManager, type ServerManagerOptions } from "./servers/server-manager";
export { enroll } from "./enroll";
export { createAgentLogger } from "./logger";
