"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { WarningIcon } from "@/components/icons";
import { RelativeTime } from "@/components/relative-time";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field, FormError, Input } from "@/components/ui/input";
import { errorMessage } from "@/lib/toast-error";
import { useTRPC } from "@/lib/trpc";
import { CopyButton } from "@/components/ui/copy-button";
import type { CreatedNode } from "./types";

/** The same rule the API enforces; checked here too so the browser can say so before sending. */
const NAME_PATTERN = "[a-z0-9][a-z0-9\\-]*";

/**
 * Two steps: name the node, then show the enrollment command once. The token is kept only in this
 * component's state and is dropped when the dialog closes.
 */
export function AddNodeDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [name, setName] = useState("");
  const [created, setCreated] = useState<CreatedNode | null>(null);

  const create = useMutation(
    trpc.nodes.create.mutationOptions({
      onSuccess: (result) => {
        setCreated(result);
        void queryClient.invalidateQueries({ queryKey: trpc.nodes.list.queryKey() });
      },
    }),
  );

  function close() {
    if (create.isPending) return;
    setName("");
    setCreated(null);
    create.reset();
    onClose();
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    create.mutate({ name: name.trim() });
  }

  if (created) {
    return (
      <Dialog
        open={open}
        onClose={close}
        closeOnBackdrop={false}
        testId="enroll-dialog"
        size="lg"
        title={`Enroll “${created.node.name}”`}
        description="Run this command on the machine that should become the node. The agent trades the one-time token for its own credential and connects."
        footer={
          <Button onClick={close} data-testid="enroll-done">
            Done
          </Button>
        }
      >
        <div className="space-y-3">
          <div className="flex items-start gap-2 rounded-lg border border-line bg-canvas p-3">
            <pre
              data-testid="enroll-command"
              className="min-w-0 flex-1 overflow-x-auto py-1 font-mono text-[13px] leading-relaxed whitespace-pre-wrap [overflow-wrap:anywhere] text-zinc-100 select-all"
            >
              {created.command}
            </pre>
            <CopyButton text={created.command} testId="enroll-copy" />
          </div>
          <div
            role="alert"
            className="flex gap-2.5 rounded-lg border border-amber-500/30 bg-amber-500/10 px-3 py-2.5 text-sm text-amber-100"
          >
            <WarningIcon className="mt-0.5 size-4 shrink-0 text-amber-400" />
            <p>
              Copy it now: this command <strong>won&apos;t be shown again</strong>. The token works
              once and expires <RelativeTime date={created.expiresAt} />. If it is lost, revoke the
              node and add it again.
            </p>
          </div>
        </div>
      </Dialog>
    );
  }

  return (
    <Dialog
      open={open}
      onClose={close}
      dismissible={!create.isPending}
      testId="add-node-dialog"
      title="Add node"
      description="Give the machine a name. You'll get a one-time command to enroll its agent."
      footer={
        <>
          <Button variant="ghost" onClick={close} disabled={create.isPending}>
            Cancel
          </Button>
          <Button
            type="submit"
            form="add-node-form"
            loading={create.isPending}
            disabled={name.trim().length === 0}
            data-testid="add-node-submit"
          >
            Create node
          </Button>
        </>
      }
    >
      <form id="add-node-form" onSubmit={onSubmit} className="space-y-3">
        {create.error ? <FormError>{errorMessage(create.error)}</FormError> : null}
        <Field
          label="Name"
          htmlFor="node-name"
          hint="Lowercase letters, digits and dashes, e.g. fra-1."
        >
          <Input
            id="node-name"
            name="name"
            required
            autoFocus
            autoComplete="off"
            maxLength={63}
            pattern={NAME_PATTERN}
            placeholder="fra-1"
            value={name}
            onChange={(e) => setName(e.target.value.toLowerCase())}
            data-testid="node-name-input"
          />
        </Field>
      </form>
    </Dialog>
  );
}
