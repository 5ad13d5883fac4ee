import { useEffect, useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { DEPLOYMENT_PATH, nodeJson } from "../api/node";
import type { DeploymentNodeJson } from "../api/types";

/** How often the chain's latest block time is read again; between reads the clock runs on from it. */
const REFRESH_MS = 15_000;

/**
 * The chain's time now, in unix seconds: the latest block's timestamp plus the seconds elapsed since it was read.
 * Ballots, rounds and proposals open and close on the chain's clock, which need not be the wall clock (a local city
 * moves it forward to seed a week of history). Without a public RPC the wall clock is the best guess, and `exact` says
 * so.
 */
export function useChainTime(): { now: number; exact: boolean } {
  // The RPC URL without loading the deployment through the SDK, and the block with viem alone (api/chainClock): a
  // page that needs only the clock (the dashboard) does not fetch the SDK's full client, about 100 KB gzipped.
  const rpc = useQuery({
    queryKey: ["chain", "rpcUrl"],
    queryFn: async ({ signal }) => (await nodeJson<{ node: DeploymentNodeJson }>(DEPLOYMENT_PATH, { signal })).node.rpcUrl ?? null,
    staleTime: Infinity,
  });
  const rpcUrl = rpc.data;
  const block = useQuery({
    queryKey: ["chain", "latest-block-time", rpcUrl],
    enabled: typeof rpcUrl === "string",
    refetchInterval: REFRESH_MS,
    queryFn: async () => ({ timestamp: await (await import("../api/chainClock")).latestBlockTime(rpcUrl!), readAt: Date.now() / 1000 }),
  });
  const [wall, setWall] = useState(() => Date.now() / 1000);
  useEffect(() => {
    const timer = setInterval(() => setWall(Date.now() / 1000), REFRESH_MS);
    return () => clearInterval(timer);
  }, []);
  if (!block.data) return { now: Math.floor(wall), exact: false };
  return { now: Math.floor(block.data.timestamp + Math.max(0, wall - block.data.readAt)), exact: true };
}
