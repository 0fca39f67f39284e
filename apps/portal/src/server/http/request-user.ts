import type { IncomingMessage } from "node:http";
import { parse as parseCookies } from "cookie";
import { getToken } from "next-auth/jwt";
import type { PrismaClient } from "@berth/db";
import type { SessionUser } from "@berth/api";

/**
 * The signed-in user of a plain HTTP request, from the same next-auth session cookie the pages
 * use, re-read from the database (a disabled account or a changed role counts at once); null when
 * there is none.
 */
export async function requestUser(
  req: IncomingMessage,
  {
    prisma,
    authSecret,
    secureCookies,
  }: { prisma: PrismaClient; authSecret: string; secureCookies: boolean },
): Promise<SessionUser | null> {
  const cookies = parseCookies(req.headers.cookie ?? "");
  const token = await getToken({
    req: { cookies, headers: {} } as never,
    secret: authSecret,
    secureCookie: secureCookies,
  });
  if (typeof token?.uid !== "string") return null;
  const user = await prisma.user.findUnique({
    where: { id: token.uid },
    select: { id: true, email: true, name: true, role: true, disabledAt: true },
  });
  if (!user || user.disabledAt) return null;
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}
