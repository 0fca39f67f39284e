import { QueryClient, QueryObserver } from "@tanstack/react-query";
import { afterEach, describe, expect, it } from "vitest";
import { applyLiveUpdate } from "./live-cache";

interface Row {
  state: string;
}

/** A query whose answers are released by the test, one fetch at a time. */
function controlledQuery(queryClient: QueryClient, database: { state: string }) {
  const pending: Array<() => void> = [];
  const observer = new QueryObserver<Row>(queryClient, {
    queryKey: ["server", "s1"],
    queryFn: () => {
      // The row is read when the fetch starts; the answer arrives when the test says so.
      const answer = { state: database.state };
      return new Promise<Row>((resolve) => pending.push(() => resolve(answer)));
    },
  });
  const unsubscribe = observer.subscribe(() => undefined);
  return { observer, pending, unsubscribe };
}

async function settle(queryClient: QueryClient) {
  for (let i = 0; i < 20 && queryClient.isFetching() > 0; i++) {
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}

describe("applyLiveUpdate", () => {
  let queryClient: QueryClient;
  afterEach(() => queryClient.clear());

  it("keeps an event that arrives while an older fetch is in flight", async () => {
    queryClient = new QueryClient();
    const database = { state: "starting" };
    const { observer, pending, unsubscribe } = controlledQuery(queryClient, database);
    pending.shift()?.();
    await settle(queryClient);
    expect(observer.getCurrentResult().data).toEqual({ state: "starting" });

    // A resync starts a fetch that reads "starting"; then the portal records "running" and sends it.
    void queryClient.invalidateQueries({ queryKey: ["server", "s1"] });
    expect(queryClient.isFetching()).toBe(1);
    database.state = "running";
    applyLiveUpdate(queryClient, ["server", "s1"], (): Row => ({ state: "running" }));

    // The stale answer lands, then the fetch started after the event.
    while (pending.length > 0) {
      pending.shift()?.();
      await settle(queryClient);
    }
    expect(observer.getCurrentResult().data).toEqual({ state: "running" });
    unsubscribe();
  });

  it("only updates the cache when nothing is being fetched", async () => {
    queryClient = new QueryClient();
    const database = { state: "starting" };
    const { observer, pending, unsubscribe } = controlledQuery(queryClient, database);
    pending.shift()?.();
    await settle(queryClient);

    applyLiveUpdate(queryClient, ["server", "s1"], (): Row => ({ state: "running" }));
    expect(queryClient.isFetching()).toBe(0);
    expect(pending).toHaveLength(0);
    expect(observer.getCurrentResult().data).toEqual({ state: "running" });
    unsubscribe();
  });
});
