import { z } from "zod";
import { WebhookUrl } from "../../services/webhooks/webhook-url";

export const SetWebhookInput = z.object({ url: WebhookUrl });
