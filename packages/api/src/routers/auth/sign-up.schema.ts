import { z } from "zod";

export const SignUpInput = z.object({
  email: z.email("Enter a valid email address.").max(254),
  name: z.string().trim().min(1, "Enter your name.").max(100),
  password: z.string().min(8, "Use at least 8 characters.").max(256),
});
export type SignUpInput = z.infer<typeof SignUpInput>;
