import { Badge } from "@/components/ui/badge";
import { crashClassInfo } from "@/lib/crashes/crash-class";

export function CrashClassBadge({ crashClass }: { crashClass: string }) {
  const info = crashClassInfo(crashClass);
  return (
    <Badge tone={info.tone} title={info.meaning} data-testid="crash-class" data-class={crashClass}>
      {info.label}
    </Badge>
  );
}
