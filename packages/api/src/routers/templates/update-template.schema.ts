import { z } from "zod";
import { CrashRulesInput, LivenessInput } from "../../services/templates/supervision-input";

export const TemplateIdInput = z.object({ templateId: z.string().min(1).max(64) });

export const UpdateTemplateInput = TemplateIdInput.extend({
  /** Replaces the template's rules (ordered: the first match wins, before the built-in ones). */
  crashRules: CrashRulesInput.optional(),
  /** null removes the check. */
  liveness: LivenessInput.nullable().optional(),
}).refine((i) => i.crashRules !== undefined || i.liveness !== undefined, "Nothing to change.");
