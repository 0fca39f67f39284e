import { Badge } from "@/components/ui/badge";

export function NodeStatusBadge({ status }: { status: "online" | "offline" }) {
  const online = status === "online";
  return (
    <Badge
      tone={online ? "green" : "grey"}
      dot
      pulse={online}
      className="capitalize"
      data-testid="node-status"
      data-status={status}
    >
      {status}
    </Badge>
  );
}
