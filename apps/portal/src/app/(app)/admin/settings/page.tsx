import type { Metadata } from "next";
import { SignUpSetting } from "@/components/settings/sign-up-setting";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Settings" };

export default function SettingsPage() {
  return (
    <>
      <PageHeader title="Settings" description="Portal-wide settings. Changes apply at once." />
      <div className="max-w-3xl space-y-6">
        <SignUpSetting />
      </div>
    </>
  );
}
