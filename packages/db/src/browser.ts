// Enums and model types without the client runtime, for client components.
export * from "./generated/prisma/browser";
