import type { InferDataFromTag, QueryClient, QueryKey } from "@tanstack/react-query";

/**
 * Applies a live event to one cached query. A fetch already in flight began before the portal
 * recorded this event, so its answer is older than the event and would overwrite it when it
 * lands; it is cancelled and started again, and the new answer includes the event.
 */
export function applyLiveUpdate<TKey extends QueryKey, TData = InferDataFromTag<unknown, TKey>>(
  queryClient: QueryClient,
  queryKey: TKey,
  update: (data: TData | undefined) => TData | undefined,
): void {
  queryClient.setQueryData<TData>(queryKey, update);
  if (queryClient.isFetching({ queryKey, exact: true }) > 0) {
    void queryClient.invalidateQueries({ queryKey, exact: true });
  }
}
