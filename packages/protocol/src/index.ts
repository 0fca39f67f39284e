export * from "./version";
export * from "./errors";
export * from "./catalog";
export * from "./agent-link";
export * from "./browser-link";
export * from "./enrollment";
export * from "./handler";
export * from "./servers";
