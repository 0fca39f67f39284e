import type { Session } from "next-auth";
import { getServerSession } from "next-auth";
import { redirect } from "next/navigation";
import { cache } from "react";
import { authOptions } from "@/server/auth";

export interface SessionUser {
  id: string;
  email: string;
  name: string | null;
  role: "admin" | "user";
}

/** The next-auth session of the current request, read once per render. */
export const getSession = cache((): Promise<Session | null> => getServerSession(authOptions));

/** The signed-in user for server components, or null. */
export async function getSessionUser(): Promise<SessionUser | null> {
  const user = (await getSession())?.user;
  if (!user?.id || !user.email) return null;
  return {
    id: user.id,
    email: user.email,
    name: user.name ?? null,
    role: user.role === "admin" ? "admin" : "user",
  };
}

/** For pages behind the login: the user, or a redirect to /login. */
export async function requireSessionUser(): Promise<SessionUser> {
  const user = await getSessionUser();
  if (!user) redirect("/login");
  return user;
}
