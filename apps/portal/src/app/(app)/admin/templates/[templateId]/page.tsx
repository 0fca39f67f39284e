import type { Metadata } from "next";
import { TemplateEditor } from "@/components/templates/template-editor";

export const metadata: Metadata = { title: "Template" };

export default async function TemplatePage({
  params,
}: {
  params: Promise<{ templateId: string }>;
}) {
  const { templateId } = await params;
  return <TemplateEditor templateId={templateId} />;
}
