export { startAgent, type RunningAgent } from "./agent";
export { loadAgentConfig, configPath, AgentConfig } from "./config";
export { enroll } from "./enroll";
export { createAgentLogger } from "./logger";
