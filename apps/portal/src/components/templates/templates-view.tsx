"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { TemplateIcon } from "@/components/icons";
import { EmptyState } from "@/components/ui/empty-state";
import { FormError } from "@/components/ui/input";
import { PageHeader } from "@/components/ui/page-header";
import { SkeletonRows, Table, Td, Th, Tr } from "@/components/ui/table";
import { errorMessage } from "@/lib/toast-error";
import { useTRPC } from "@/lib/trpc";

/** Admins: the game server templates; each opens an editor for its crash handling. */
export function TemplatesView() {
  const trpc = useTRPC();
  const templates = useQuery(
    trpc.templates.list.queryOptions(undefined, { meta: { silentError: true } }),
  );

  return (
    <>
      <PageHeader
        title="Templates"
        description="What game servers are made from. Crash rules and the liveness check of a template apply to its servers from their next start."
      />
      {templates.isError ? (
        <FormError>{errorMessage(templates.error)}</FormError>
      ) : templates.data?.length === 0 ? (
        <EmptyState
          icon={<TemplateIcon className="size-5" />}
          title="No templates"
          description="Built-in templates are added when the portal starts."
        />
      ) : (
        <Table data-testid="templates-table">
          <thead>
            <tr>
              <Th>Name</Th>
              <Th>Image</Th>
              <Th className="w-24" />
            </tr>
          </thead>
          <tbody>
            {templates.isPending ? (
              <SkeletonRows columns={3} />
            ) : (
              templates.data.map((t) => (
                <Tr key={t.id} data-testid="template-row" data-template-name={t.name}>
                  <Td>
                    <p className="font-medium text-zinc-100">{t.name}</p>
                    {t.description ? (
                      <p className="mt-0.5 line-clamp-1 text-xs text-zinc-500">{t.description}</p>
                    ) : null}
                  </Td>
                  <Td className="font-mono text-xs text-zinc-300">{t.image}</Td>
                  <Td className="text-right">
                    <Link
                      href={`/admin/templates/${t.id}`}
                      className="text-sm font-medium text-sky-300 hover:text-sky-200"
                      data-testid="template-edit"
                    >
                      Edit
                    </Link>
                  </Td>
                </Tr>
              ))
            )}
          </tbody>
        </Table>
      )}
    </>
  );
}
