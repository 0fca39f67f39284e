"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { toast } from "sonner";
import { Card, CardHeader } from "@/components/ui/card";
import { Spinner } from "@/components/ui/spinner";
import { Switch } from "@/components/ui/switch";
import { useTRPC } from "@/lib/trpc";

export function SignUpSetting() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const queryKey = trpc.settings.get.queryKey();
  const settings = useQuery(trpc.settings.get.queryOptions());

  const update = useMutation(
    trpc.settings.update.mutationOptions({
      // Optimistic: flip the switch at once, roll back if the server refuses.
      onMutate: async (input) => {
        await queryClient.cancelQueries({ queryKey });
        const previous = queryClient.getQueryData(queryKey);
        queryClient.setQueryData(queryKey, (old) => (old ? { ...old, ...input } : old));
        return { previous };
      },
      onError: (_error, _input, context) => {
        if (context?.previous) queryClient.setQueryData(queryKey, context.previous);
      },
      onSuccess: (_data, input) => {
        toast.success(input.signupEnabled ? "Sign-up is on." : "Sign-up is off.");
      },
      onSettled: () => queryClient.invalidateQueries({ queryKey }),
    }),
  );

  const enabled = settings.data?.signupEnabled ?? false;

  return (
    <Card>
      <CardHeader title="Accounts" description="Who can get an account on this portal." />
      <div className="flex items-center justify-between gap-6 px-5 py-4">
        <div>
          <p id="signup-label" className="text-sm font-medium text-zinc-100">
            Allow sign-up
          </p>
          <p id="signup-description" className="mt-0.5 text-sm text-zinc-400">
            When on, anyone who can reach the portal can create a user account from the sign-in
            page.
          </p>
        </div>
        {settings.isPending ? (
          <Spinner className="text-zinc-500" />
        ) : (
          <Switch
            checked={enabled}
            disabled={settings.isError || update.isPending}
            onCheckedChange={(signupEnabled) => update.mutate({ signupEnabled })}
            aria-labelledby="signup-label"
            aria-describedby="signup-description"
            testId="signup-toggle"
          />
        )}
      </div>
    </Card>
  );
}
