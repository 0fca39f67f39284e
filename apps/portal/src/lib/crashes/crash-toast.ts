import { crashClassLabel } from "./crash-class";
import { formatCountdown, secondsUntil } from "./restart-countdown";

/** The toast for a crash: which server, what kind, and what happens next. */
export function crashToastText(crash: {
  serverName: string | null;
  class: string;
  subject: string | null;
  restartAt: number | null;
  crashLoop: boolean;
  at: number;
}): { title: string; description: string } {
  const title = crash.serverName ? `“${crash.serverName}” crashed` : "A server crashed";
  const kind = crash.subject
    ? `${crashClassLabel(crash.class)} (${crash.subject})`
    : crashClassLabel(crash.class);
  let next: string;
  if (crash.crashLoop) next = "Crash loop — auto-restart paused.";
  else if (crash.restartAt !== null)
    next = `Restarting in ${formatCountdown(secondsUntil(crash.restartAt, crash.at))}.`;
  else next = "It stays down until someone starts it.";
  return { title, description: `${kind}. ${next}` };
}
