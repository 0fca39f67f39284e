import type { Metadata } from "next";
import { AccountDetails } from "@/components/account/account-details";
import { CrashWebhookCard } from "@/components/account/crash-webhook-card";
import { PageHeader } from "@/components/ui/page-header";
import { requireSessionUser } from "@/lib/session";

export const metadata: Metadata = { title: "Account" };

export default async function AccountPage() {
  const user = await requireSessionUser();
  return (
    <>
      <PageHeader title="Account" description="Your sign-in details and notifications." />
      <div className="max-w-3xl space-y-6">
        <AccountDetails user={user} />
        <CrashWebhookCard />
      </div>
    </>
  );
}
