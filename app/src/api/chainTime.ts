import { useQuery } from "@tanstack/react-query";
import { useCity } from "./city";

/**
 * "Now" as the chain sees it, in unix seconds: its latest block's time when the node publishes an RPC (a demo or test
 * chain may run ahead of the wall clock, and ballots open and close on the chain's clock), else the browser's clock.
 * Undefined while loading.
 */
export function useChainTime(): number | undefined {
  const city = useCity();
  const client = city.data?.client;
  const block = useQuery({
    queryKey: ["chain", "now"],
    queryFn: async () => Number((await client!.publicClient.getBlock()).timestamp),
    enabled: client !== undefined,
    staleTime: 60_000,
  });
  if (!city.data) return undefined;
  return client ? block.data : Math.floor(Date.now() / 1000);
}
