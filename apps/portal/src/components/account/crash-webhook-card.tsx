"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState, type FormEvent } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { errorProps, Field, FormError, Input } from "@/components/ui/input";
import { Spinner } from "@/components/ui/spinner";
import { webhookUrlProblem } from "@/lib/account/webhook-url";
import { errorMessage } from "@/lib/toast-error";
import { useTRPC } from "@/lib/trpc";
import { WebhookActions } from "./webhook-actions";
import { WebhookSecret } from "./webhook-secret";

/**
 * An optional URL that receives every crash of the user's servers as JSON, signed with a secret
 * the portal shows once (after setting the URL or rotating the secret).
 */
export function CrashWebhookCard() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const webhook = useQuery(
    trpc.me.webhook.get.queryOptions(undefined, { meta: { silentError: true } }),
  );
  const [url, setUrl] = useState("");
  const [error, setError] = useState<string | undefined>();
  const [secret, setSecret] = useState<string | null>(null);

  const savedUrl = webhook.data?.url ?? "";
  useEffect(() => setUrl(savedUrl), [savedUrl]);

  const invalidate = () =>
    queryClient.invalidateQueries({ queryKey: trpc.me.webhook.get.queryKey() });
  const save = useMutation(
    trpc.me.webhook.set.mutationOptions({
      meta: { silentError: true },
      onSuccess: (result) => {
        void invalidate();
        if (result.secret) setSecret(result.secret);
        toast.success("Webhook saved");
      },
      onError: (e) => setError(errorMessage(e)),
    }),
  );

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const problem = webhookUrlProblem(url);
    setError(problem ?? undefined);
    if (!problem) save.mutate({ url: url.trim() });
  }

  return (
    <Card data-testid="crash-webhook">
      <CardHeader
        title="Crash webhook"
        description={
          <>
            Berth POSTs every crash of your servers to this URL as JSON. Each request is signed:{" "}
            <code className="font-mono text-xs text-zinc-300">X-Berth-Signature: sha256=…</code> is
            the HMAC-SHA256 of{" "}
            <code className="font-mono text-xs text-zinc-300">{"<X-Berth-Timestamp>.<body>"}</code>,
            keyed with your secret.
          </>
        }
      />
      {webhook.isPending ? (
        <div className="flex items-center gap-2 px-5 py-4 text-sm text-zinc-400">
          <Spinner /> Loading…
        </div>
      ) : webhook.isError ? (
        <div className="px-5 py-4">
          <FormError>{errorMessage(webhook.error)}</FormError>
        </div>
      ) : (
        <div className="space-y-4 px-5 py-4">
          <form onSubmit={onSubmit} noValidate className="flex flex-wrap items-start gap-3">
            <div className="min-w-64 flex-1">
              <Field
                label="URL"
                htmlFor="webhook-url"
                hint="https:// (http:// only to localhost). The signing secret is shown once, after the first save."
                error={error}
              >
                <Input
                  id="webhook-url"
                  type="url"
                  value={url}
                  placeholder="https://example.com/berth/crashes"
                  onChange={(e) => {
                    setUrl(e.target.value);
                    setError(undefined);
                  }}
                  {...errorProps("webhook-url", error)}
                />
              </Field>
            </div>
            <Button
              type="submit"
              className="mt-7"
              loading={save.isPending}
              disabled={url.trim() === savedUrl}
              data-testid="webhook-save"
            >
              Save
            </Button>
          </form>
          {secret ? <WebhookSecret secret={secret} onDismiss={() => setSecret(null)} /> : null}
          {savedUrl ? (
            <WebhookActions
              onSecret={setSecret}
              onCleared={() => {
                setSecret(null);
                void invalidate();
              }}
            />
          ) : null}
        </div>
      )}
    </Card>
  );
}
