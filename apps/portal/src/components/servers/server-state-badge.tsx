import { Badge } from "@/components/ui/badge";
import { isTransitional, stateTone } from "@/lib/server-state";

export function ServerStateBadge({ state }: { state: string }) {
  return (
    <Badge
      tone={stateTone(state)}
      dot
      pulse={isTransitional(state)}
      className="capitalize"
      data-testid="server-state"
      data-state={state}
    >
      {state}
    </Badge>
  );
}
