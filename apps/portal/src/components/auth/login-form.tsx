"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { signIn } from "next-auth/react";
import { useState, type FormEvent } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Field, FormError, Input } from "@/components/ui/input";
import { useTRPC } from "@/lib/trpc";
import { AuthCard } from "./auth-card";

/** next-auth's codes for failures that carry no text of their own. */
const KNOWN_ERRORS: Record<string, string> = {
  CredentialsSignin: "Wrong email or password.",
  SessionRequired: "Please sign in to continue.",
  AccessDenied: "Access denied.",
  Configuration: "Sign-in is not available right now. Please try again later.",
};

function loginErrorMessage(error: string | null | undefined): string {
  if (!error) return "Sign-in failed. Please try again.";
  return KNOWN_ERRORS[error] ?? error;
}

export function LoginForm({ callbackUrl }: { callbackUrl: string }) {
  const trpc = useTRPC();
  const settings = useQuery({ ...trpc.settings.get.queryOptions(), meta: { silentError: true } });
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setPending(true);
    setError(null);
    try {
      const result = await signIn("credentials", {
        redirect: false,
        email: email.trim(),
        password,
      });
      if (!result || result.error || !result.ok) {
        const message = loginErrorMessage(result?.error);
        setError(message);
        toast.error(message, { id: "login-error" });
        setPending(false);
        return;
      }
      // A full navigation so every part of the page (and the live socket) starts with the new session.
      window.location.assign(callbackUrl);
    } catch {
      const message = "Cannot reach the portal. Check your connection.";
      setError(message);
      toast.error(message, { id: "login-error" });
      setPending(false);
    }
  }

  return (
    <AuthCard
      title="Sign in"
      subtitle="Welcome back. Sign in to manage your servers."
      footer={
        settings.data?.signupEnabled ? (
          <>
            New to Berth?{" "}
            <Link
              href="/signup"
              data-testid="signup-link"
              className="font-medium text-sky-400 hover:text-sky-300"
            >
              Create an account
            </Link>
          </>
        ) : null
      }
    >
      <form method="post" onSubmit={onSubmit} className="space-y-4">
        {error ? <FormError testId="login-error">{error}</FormError> : null}
        <Field label="Email" htmlFor="email">
          <Input
            id="email"
            name="email"
            type="email"
            autoComplete="email"
            required
            autoFocus
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            aria-invalid={error ? true : undefined}
            data-testid="login-email"
          />
        </Field>
        <Field label="Password" htmlFor="password">
          <Input
            id="password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            aria-invalid={error ? true : undefined}
            data-testid="login-password"
          />
        </Field>
        <Button type="submit" className="w-full" loading={pending} data-testid="login-submit">
          {pending ? "Signing in…" : "Sign in"}
        </Button>
      </form>
    </AuthCard>
  );
}
