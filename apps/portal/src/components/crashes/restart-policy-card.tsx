"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState, type FormEvent } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { errorProps, Field, Input } from "@/components/ui/input";
import { Switch } from "@/components/ui/switch";
import {
  describePolicy,
  draftOf,
  parsePolicyDraft,
  type RestartPolicyDraft,
  type RestartPolicyErrors,
  type RestartPolicyValues,
} from "@/lib/crashes/restart-policy-form";
import { useTRPC } from "@/lib/trpc";

const sameDraft = (a: RestartPolicyDraft, b: RestartPolicyDraft) =>
  a.autoRestart === b.autoRestart &&
  a.delays === b.delays &&
  a.resetAfter === b.resetAfter &&
  a.crashLoopAfter === b.crashLoopAfter;

/** What happens after a crash: automatic restarts with backoff, and when to give up. */
export function RestartPolicyCard({
  serverId,
  policy,
  pending,
}: {
  serverId: string;
  policy: RestartPolicyValues;
  /** A saved change has not reached the node yet (it goes with the next start). */
  pending: boolean;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const saved = draftOf(policy);
  const savedKey = JSON.stringify(saved);
  const [draft, setDraft] = useState(saved);
  const [errors, setErrors] = useState<RestartPolicyErrors>({});

  // A save (here or elsewhere) changes the server: start over from what is stored.
  useEffect(() => {
    setDraft(JSON.parse(savedKey) as RestartPolicyDraft);
    setErrors({});
  }, [savedKey]);

  const update = useMutation(
    trpc.servers.updateRestartPolicy.mutationOptions({
      onSuccess: (result) => {
        void queryClient.invalidateQueries({
          queryKey: trpc.servers.get.queryKey({ serverId }),
        });
        toast.success(
          result.takesEffect === "now"
            ? "Restart policy saved"
            : "Restart policy saved; it takes effect at the next start",
        );
      },
    }),
  );

  const parsed = parsePolicyDraft(draft);
  const dirty = !sameDraft(draft, saved);
  const set = (patch: Partial<RestartPolicyDraft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setErrors((e) => {
      const next = { ...e };
      for (const key of Object.keys(patch)) delete next[key as keyof RestartPolicyErrors];
      return next;
    });
  };

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!parsed.ok) {
      setErrors(parsed.errors);
      return;
    }
    update.mutate({ serverId, ...parsed.values });
  }

  return (
    <Card data-testid="restart-policy">
      <CardHeader title="Restart policy" description="What Berth does when the server crashes." />
      <form onSubmit={onSubmit} noValidate className="space-y-4 px-5 py-4">
        <div className="flex items-center justify-between gap-4">
          <div>
            <p id="auto-restart-label" className="text-sm font-medium text-zinc-100">
              Restart automatically
            </p>
            <p className="mt-0.5 text-xs text-zinc-500">
              Off: a crashed server stays down until someone starts it.
            </p>
          </div>
          <Switch
            checked={draft.autoRestart}
            onCheckedChange={(autoRestart) => set({ autoRestart })}
            aria-labelledby="auto-restart-label"
            testId="policy-auto-restart"
          />
        </div>
        <PolicyFields draft={draft} errors={errors} disabled={!draft.autoRestart} set={set} />
        <p className="text-xs text-zinc-400" data-testid="policy-summary">
          {parsed.ok ? describePolicy(parsed.values) : "\u00a0"}
        </p>
        {pending ? (
          <p className="text-xs text-amber-300" data-testid="policy-pending">
            The saved policy reaches the node when the server next starts.
          </p>
        ) : null}
        <div className="flex justify-end gap-2">
          {dirty ? (
            <Button variant="ghost" size="sm" onClick={() => setDraft(saved)}>
              Reset
            </Button>
          ) : null}
          <Button
            type="submit"
            size="sm"
            disabled={!dirty}
            loading={update.isPending}
            data-testid="policy-save"
          >
            Save policy
          </Button>
        </div>
      </form>
    </Card>
  );
}

function PolicyFields({
  draft,
  errors,
  disabled,
  set,
}: {
  draft: RestartPolicyDraft;
  errors: RestartPolicyErrors;
  disabled: boolean;
  set: (patch: Partial<RestartPolicyDraft>) => void;
}) {
  return (
    <div className="grid gap-4 sm:grid-cols-3">
      <Field
        label="Delays (s)"
        htmlFor="policy-delays"
        hint="Before the 1st, 2nd, 3rd… restart"
        error={errors.delays}
      >
        <Input
          id="policy-delays"
          value={draft.delays}
          disabled={disabled}
          inputMode="numeric"
          placeholder="30, 60, 120"
          onChange={(e) => set({ delays: e.target.value })}
          {...errorProps("policy-delays", errors.delays)}
        />
      </Field>
      <Field
        label="Reset after (s)"
        htmlFor="policy-reset"
        hint="Uptime that clears the count"
        error={errors.resetAfter}
      >
        <Input
          id="policy-reset"
          value={draft.resetAfter}
          disabled={disabled}
          inputMode="numeric"
          onChange={(e) => set({ resetAfter: e.target.value })}
          {...errorProps("policy-reset", errors.resetAfter)}
        />
      </Field>
      <Field
        label="Crash loop after"
        htmlFor="policy-loop"
        hint="Crashes in a row that pause restarts"
        error={errors.crashLoopAfter}
      >
        <Input
          id="policy-loop"
          value={draft.crashLoopAfter}
          disabled={disabled}
          inputMode="numeric"
          onChange={(e) => set({ crashLoopAfter: e.target.value })}
          {...errorProps("policy-loop", errors.crashLoopAfter)}
        />
      </Field>
    </div>
  );
}
