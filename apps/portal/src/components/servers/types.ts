import type { RouterOutputs } from "@berth/api";

export type ServerListItem = RouterOutputs["servers"]["list"][number];
export type ServerDetail = RouterOutputs["servers"]["get"];
export type TemplateItem = RouterOutputs["templates"]["list"][number];
