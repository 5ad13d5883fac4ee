import { useEffect, useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { useCity } from "../api/city";

/** How often the chain's latest block time is read again; between reads the clock runs on from it. */
const REFRESH_MS = 15_000;

/**
 * The chain's time now, in unix seconds: the latest block's timestamp plus the seconds elapsed since it was read.
 * Ballots, rounds and proposals open and close on the chain's clock, which need not be the wall clock (a local city
 * moves it forward to seed a week of history). Without a public RPC the wall clock is the best guess, and `exact` says
 * so.
 */
export function useChainTime(): { now: number; exact: boolean } {
  const client = useCity().data?.client;
  const block = useQuery({
    queryKey: ["chain", "latest-block-time"],
    enabled: client !== undefined,
    refetchInterval: REFRESH_MS,
    queryFn: async () => {
      const latest = await client!.publicClient.getBlock({ blockTag: "latest" });
      return { timestamp: Number(latest.timestamp), readAt: Date.now() / 1000 };
    },
  });
  const [wall, setWall] = useState(() => Date.now() / 1000);
  useEffect(() => {
    const timer = setInterval(() => setWall(Date.now() / 1000), REFRESH_MS);
    return () => clearInterval(timer);
  }, []);
  if (!block.data) return { now: Math.floor(wall), exact: false };
  return { now: Math.floor(block.data.timestamp + Math.max(0, wall - block.data.readAt)), exact: true };
}
