import { appRouter, createTRPCContext } from "@berth/api";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { getServerSession } from "next-auth";
import { authOptions } from "@/server/auth";
import { clientIpFrom } from "@/server/client-ip";
import { getRuntime } from "@/server/runtime";

const handler = (req: Request) =>
  fetchRequestHandler({
    endpoint: "/api/trpc",
    router: appRouter,
    req,
    createContext: async () => {
      const session = await getServerSession(authOptions);
      return createTRPCContext({
        runtime: getRuntime(),
        sessionUser: session?.user?.id ? session.user : null,
        ip: clientIpFrom(req.headers),
      });
    },
  });

export { handler as GET, handler as POST };
