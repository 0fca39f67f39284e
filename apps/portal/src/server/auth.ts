import type { AuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { z } from "zod";
import { authenticateUser, isAppError } from "@berth/api/services";
import type { SessionUser } from "@berth/api";
import { clientIpFrom } from "./client-ip";
import { getRuntime } from "./runtime";

const Credentials = z.object({
  email: z.string().min(1).max(254),
  password: z.string().min(1).max(256),
});

declare module "next-auth" {
  interface Session {
    user: SessionUser;
  }
}
declare module "next-auth/jwt" {
  interface JWT {
    uid?: string;
    role?: SessionUser["role"];
  }
}

/**
 * The secret and cookie mode come from the runtime server.ts installs; getters defer that lookup to
 * request time, because `next build` imports this module without a running portal.
 */
export const authOptions: AuthOptions = {
  get secret() {
    return getRuntime().authSecret;
  },
  get useSecureCookies() {
    return getRuntime().secureCookies;
  },
  session: { strategy: "jwt", maxAge: 7 * 24 * 3600 },
  pages: { signIn: "/login" },
  providers: [
    CredentialsProvider({
      id: "credentials",
      name: "Email and password",
      credentials: {
        email: { label: "Email", type: "email" },
        password: { label: "Password", type: "password" },
      },
      async authorize(raw, req) {
        const parsed = Credentials.safeParse(raw);
        if (!parsed.success) throw new Error("Enter your email and password.");
        const runtime = getRuntime();
        try {
          const user = await authenticateUser({
            prisma: runtime.prisma,
            email: parsed.data.email,
            password: parsed.data.password,
            ip: clientIpFrom(req?.headers),
          });
          return { id: user.id, email: user.email, name: user.name, role: user.role };
        } catch (err) {
          // next-auth hands this message to the login page as `error`.
          if (isAppError(err)) throw new Error(err.message);
          runtime.log.error({ err }, "login failed unexpectedly");
          throw new Error("Login is unavailable right now. Try again shortly.");
        }
      },
    }),
  ],
  callbacks: {
    jwt({ token, user }) {
      if (user) {
        token.uid = user.id;
        token.role = (user as unknown as SessionUser).role;
      }
      return token;
    },
    session({ session, token }) {
      session.user = {
        id: token.uid ?? "",
        email: token.email ?? "",
        name: token.name ?? null,
        role: token.role ?? "user",
      };
      return session;
    },
  },
};
