import { WarningIcon } from "@/components/icons";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";

/** The signing secret, shown once: the portal cannot show it again, only make a new one. */
export function WebhookSecret({ secret, onDismiss }: { secret: string; onDismiss: () => void }) {
  return (
    <div className="space-y-2 rounded-lg border border-amber-500/30 bg-amber-500/10 p-3">
      <p className="flex items-center gap-2 text-sm text-amber-100">
        <WarningIcon className="size-4 shrink-0 text-amber-400" />
        Your signing secret. Copy it now: it is not shown again.
      </p>
      <div className="flex items-center gap-2 rounded-md border border-line bg-canvas p-2">
        <code
          className="min-w-0 flex-1 font-mono text-[13px] [overflow-wrap:anywhere] text-zinc-100 select-all"
          data-testid="webhook-secret"
        >
          {secret}
        </code>
        <CopyButton text={secret} testId="webhook-secret-copy" />
      </div>
      <div className="flex justify-end">
        <Button variant="ghost" size="sm" onClick={onDismiss}>
          I have copied it
        </Button>
      </div>
    </div>
  );
}
