"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { signIn } from "next-auth/react";
import { useState, type FormEvent } from "react";
import { toast } from "sonner";
import { LockIcon } from "@/components/icons";
import { Button } from "@/components/ui/button";
import { Field, FormError, Input } from "@/components/ui/input";
import { Spinner } from "@/components/ui/spinner";
import { errorMessage } from "@/lib/toast-error";
import { useTRPC } from "@/lib/trpc";
import { AuthCard } from "./auth-card";

const MIN_PASSWORD = 8;

const signInLink = (
  <>
    Already have an account?{" "}
    <Link href="/login" className="font-medium text-sky-400 hover:text-sky-300">
      Sign in
    </Link>
  </>
);

export function SignUpForm() {
  const trpc = useTRPC();
  const settings = useQuery(trpc.settings.get.queryOptions());
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [localError, setLocalError] = useState<string | null>(null);
  const [signingIn, setSigningIn] = useState(false);

  const signUp = useMutation(
    trpc.auth.signUp.mutationOptions({
      onSuccess: async () => {
        setSigningIn(true);
        const result = await signIn("credentials", {
          redirect: false,
          email: email.trim(),
          password,
        });
        if (result?.ok && !result.error) {
          window.location.assign("/servers");
          return;
        }
        toast.success("Account created. Please sign in.");
        window.location.assign("/login");
      },
    }),
  );

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setLocalError(null);
    if (password.length < MIN_PASSWORD) {
      setLocalError(`The password needs at least ${MIN_PASSWORD} characters.`);
      return;
    }
    signUp.mutate({ email: email.trim(), name: name.trim(), password });
  }

  if (settings.isPending) {
    return (
      <AuthCard title="Create account">
        <div className="flex justify-center py-6 text-zinc-500">
          <Spinner />
        </div>
      </AuthCard>
    );
  }

  if (settings.isError) {
    return (
      <AuthCard title="Create account" footer={signInLink}>
        <FormError>{errorMessage(settings.error)}</FormError>
      </AuthCard>
    );
  }

  if (!settings.data.signupEnabled) {
    return (
      <AuthCard title="Sign-up is closed" footer={signInLink}>
        <div data-testid="signup-disabled" className="flex items-start gap-3 text-sm text-zinc-300">
          <div className="mt-0.5 flex size-8 shrink-0 items-center justify-center rounded-full border border-line bg-surface-raised text-zinc-400">
            <LockIcon className="size-4" />
          </div>
          <p>
            New accounts can&apos;t be created on this portal right now. Ask an administrator to
            turn sign-up on or to create an account for you.
          </p>
        </div>
      </AuthCard>
    );
  }

  const error = localError ?? (signUp.error ? errorMessage(signUp.error) : null);
  const busy = signUp.isPending || signingIn;

  return (
    <AuthCard
      title="Create account"
      subtitle="Run game servers and dev containers on Berth."
      footer={signInLink}
    >
      <form method="post" onSubmit={onSubmit} className="space-y-4">
        {error ? <FormError testId="signup-error">{error}</FormError> : null}
        <Field label="Name" htmlFor="name">
          <Input
            id="name"
            name="name"
            autoComplete="name"
            required
            autoFocus
            maxLength={100}
            value={name}
            onChange={(e) => setName(e.target.value)}
            data-testid="signup-name"
          />
        </Field>
        <Field label="Email" htmlFor="email">
          <Input
            id="email"
            name="email"
            type="email"
            autoComplete="email"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            data-testid="signup-email"
          />
        </Field>
        <Field label="Password" htmlFor="password" hint={`At least ${MIN_PASSWORD} characters.`}>
          <Input
            id="password"
            name="password"
            type="password"
            autoComplete="new-password"
            required
            minLength={MIN_PASSWORD}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            aria-invalid={localError ? true : undefined}
            data-testid="signup-password"
          />
        </Field>
        <Button type="submit" className="w-full" loading={busy} data-testid="signup-submit">
          {signingIn ? "Signing in…" : busy ? "Creating account…" : "Create account"}
        </Button>
      </form>
    </AuthCard>
  );
}
