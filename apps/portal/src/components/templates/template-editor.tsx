"use client";

import { LivenessCheck } from "@berth/protocol";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { TemplateIcon } from "@/components/icons";
import { EmptyState } from "@/components/ui/empty-state";
import { FormError } from "@/components/ui/input";
import { Spinner } from "@/components/ui/spinner";
import { rowsFromStored } from "@/lib/templates/crash-rules-form";
import { livenessDraftOf } from "@/lib/templates/liveness-form";
import { errorCode, errorMessage } from "@/lib/toast-error";
import { useTRPC } from "@/lib/trpc";
import { TemplateSupervisionForm } from "./template-supervision-form";

function BackLink() {
  return (
    <Link
      href="/admin/templates"
      className="text-sm text-zinc-400 transition-colors hover:text-zinc-100"
    >
      ← Templates
    </Link>
  );
}

function firstPort(ports: unknown): number | undefined {
  if (!Array.isArray(ports)) return undefined;
  const port: unknown = (ports[0] as { containerPort?: unknown } | undefined)?.containerPort;
  return typeof port === "number" ? port : undefined;
}

/** Admins: one template's crash rules and liveness check. */
export function TemplateEditor({ templateId }: { templateId: string }) {
  const trpc = useTRPC();
  const template = useQuery(
    trpc.templates.get.queryOptions({ templateId }, { meta: { silentError: true } }),
  );

  if (template.isError) {
    return (
      <div className="space-y-4">
        <BackLink />
        {errorCode(template.error) === "NOT_FOUND" ? (
          <EmptyState
            icon={<TemplateIcon className="size-5" />}
            title="No such template"
            description="It may have been removed."
          />
        ) : (
          <FormError>{errorMessage(template.error)}</FormError>
        )}
      </div>
    );
  }
  if (!template.data) {
    return (
      <div className="flex items-center gap-2 py-10 text-sm text-zinc-400">
        <Spinner /> Loading template…
      </div>
    );
  }

  const t = template.data;
  const liveness = LivenessCheck.safeParse(t.liveness);
  return (
    <div className="space-y-6" data-testid="template-editor">
      <div className="space-y-3">
        <BackLink />
        <div>
          <h1 className="text-xl font-semibold tracking-tight text-zinc-50">{t.name}</h1>
          <p className="mt-1 font-mono text-xs text-zinc-400">
            {t.slug} · {t.image}
          </p>
        </div>
      </div>
      {/* Keyed by the saved version: a save (or another admin's) starts the form over. */}
      <TemplateSupervisionForm
        key={t.updatedAt.toISOString()}
        templateId={t.id}
        initialRules={rowsFromStored(t.crashRules)}
        initialLiveness={livenessDraftOf(
          liveness.success ? liveness.data : null,
          firstPort(t.ports),
        )}
      />
    </div>
  );
}
