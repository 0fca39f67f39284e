"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { FormError } from "@/components/ui/input";
import { parseRules, type RuleErrors, type RuleRow } from "@/lib/templates/crash-rules-form";
import {
  parseLiveness,
  type LivenessDraft,
  type LivenessErrors,
} from "@/lib/templates/liveness-form";
import { errorMessage } from "@/lib/toast-error";
import { useTRPC } from "@/lib/trpc";
import { CrashRulesTable } from "./crash-rules-table";
import { LivenessFields } from "./liveness-fields";

export function TemplateSupervisionForm({
  templateId,
  initialRules,
  initialLiveness,
}: {
  templateId: string;
  initialRules: RuleRow[];
  initialLiveness: LivenessDraft;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [rows, setRows] = useState(initialRules);
  const [ruleErrors, setRuleErrors] = useState<RuleErrors>({});
  const [liveness, setLiveness] = useState(initialLiveness);
  const [livenessErrors, setLivenessErrors] = useState<LivenessErrors>({});

  const save = useMutation(
    trpc.templates.update.mutationOptions({
      meta: { silentError: true },
      onSuccess: (result) => {
        toast.success(
          result.serversPending > 0
            ? `Template saved; ${result.serversPending} ${result.serversPending === 1 ? "server gets" : "servers get"} it at the next start`
            : "Template saved",
        );
        void queryClient.invalidateQueries({
          queryKey: trpc.templates.get.queryKey({ templateId }),
        });
      },
      onError: (error) => toast.error(errorMessage(error)),
    }),
  );

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const rules = parseRules(rows);
    const check = parseLiveness(liveness);
    setRuleErrors(rules.ok ? {} : rules.errors);
    setLivenessErrors(check.ok ? {} : check.errors);
    if (!rules.ok || !check.ok) return;
    save.mutate({ templateId, crashRules: rules.rules, liveness: check.check });
  }

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-6">
      <Card>
        <CardHeader
          title="Crash rules"
          description="Tried in order before the built-in rules; the first pattern that matches a line of the crash's log decides the class. A named group (?<name>…) names the mod or library, and {name} in the suggestion uses it."
        />
        <div className="px-3 py-4 sm:px-5">
          <CrashRulesTable
            rows={rows}
            errors={ruleErrors}
            onChange={(next) => {
              setRows(next);
              setRuleErrors({});
            }}
          />
        </div>
      </Card>
      <Card>
        <CardHeader
          title="Liveness check"
          description="Optional. A running server that fails it the given number of times in a row is stopped and counted as a crash (not responding)."
        />
        <div className="px-5 py-4">
          <LivenessFields
            draft={liveness}
            errors={livenessErrors}
            onChange={(patch) => {
              setLiveness((d) => ({ ...d, ...patch }));
              setLivenessErrors({});
            }}
          />
        </div>
      </Card>
      {save.isError ? (
        <FormError testId="template-save-error">{errorMessage(save.error)}</FormError>
      ) : null}
      <div className="flex justify-end">
        <Button type="submit" loading={save.isPending} data-testid="template-save">
          Save template
        </Button>
      </div>
    </form>
  );
}
