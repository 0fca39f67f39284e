export type Role = "admin" | "user";

/** Who is doing something: a signed-in user, or the platform itself (start-up, seeding). */
export type Actor = { kind: "user"; id: string; role: Role } | { kind: "system" };

export const systemActor: Actor = { kind: "system" };
export const actorUserId = (actor: Actor): string | null =>
  actor.kind === "user" ? actor.id : null;
