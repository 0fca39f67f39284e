import type { z } from "zod";
import type { Result } from "./errors";

/** One event: its payload schema and, for commands that answer, the schema of the ack's data. */
export interface EventSpec {
  payload: z.ZodType;
  ack?: z.ZodType;
}
export type Catalog = Record<string, EventSpec>;

export type PayloadOf<C extends Catalog, E extends keyof C> = z.infer<C[E]["payload"]>;
export type AckDataOf<C extends Catalog, E extends keyof C> = C[E]["ack"] extends z.ZodType
  ? z.infer<C[E]["ack"]>
  : never;

/** The Socket.IO event map derived from a catalog: events with an ack take a callback. */
export type EventMap<C extends Catalog> = {
  [E in keyof C]: C[E]["ack"] extends z.ZodType
    ? (payload: PayloadOf<C, E>, ack: (result: Result<AckDataOf<C, E>>) => void) => void
    : (payload: PayloadOf<C, E>) => void;
};

export function defineCatalog<C extends Catalog>(catalog: C): C {
  return catalog;
}
