import type { ReactNode } from "react";
import { Forbidden } from "@/components/forbidden";
import { requireSessionUser } from "@/lib/session";

/** Admin pages: signed-out users go to /login (parent layout), signed-in non-admins get a 403. */
export default async function AdminLayout({ children }: { children: ReactNode }) {
  const user = await requireSessionUser();
  if (user.role !== "admin") return <Forbidden />;
  return children;
}
