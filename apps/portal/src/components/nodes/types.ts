import type { RouterOutputs } from "@berth/api";

export type NodeListItem = RouterOutputs["nodes"]["list"][number];
export type CreatedNode = RouterOutputs["nodes"]["create"];
