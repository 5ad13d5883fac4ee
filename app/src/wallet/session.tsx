/**
 * The member signed in on this page, shared by every wallet page. Keys held by the page (a city key, a demo key) are
 * forgotten after {@link LOCK_AFTER_MS} without a click or a key press: the city key stays sealed in IndexedDB and
 * needs its passphrase again. A browser wallet locks itself.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { useQuery, type UseQueryResult } from "@tanstack/react-query";
import type { CityClient } from "@cityledger/sdk";
import { useCity } from "../api/city";
import type { Signer } from "./signer";

export const LOCK_AFTER_MS = 10 * 60_000;

interface Session {
  signer: Signer | undefined;
  /** Why the last signer went away without the member asking ("inactivity"), to say so on the sign-in page. */
  lockedBecause: "inactivity" | undefined;
  signIn: (signer: Signer) => void;
  signOut: () => void;
}

const SessionContext = createContext<Session | undefined>(undefined);

export function WalletProvider({ children }: { children: ReactNode }) {
  const [signer, setSigner] = useState<Signer | undefined>();
  const [lockedBecause, setLockedBecause] = useState<"inactivity" | undefined>();
  const signIn = useCallback((next: Signer) => {
    setLockedBecause(undefined);
    setSigner(next);
  }, []);
  const signOut = useCallback(() => setSigner(undefined), []);

  const holdsKey = signer !== undefined && signer.kind !== "injected";
  useEffect(() => {
    if (!holdsKey) return;
    let timer = setTimeout(lock, LOCK_AFTER_MS);
    function lock() {
      setSigner(undefined);
      setLockedBecause("inactivity");
    }
    const activity = () => {
      clearTimeout(timer);
      timer = setTimeout(lock, LOCK_AFTER_MS);
    };
    const events = ["pointerdown", "keydown"] as const;
    for (const event of events) window.addEventListener(event, activity, { passive: true });
    return () => {
      clearTimeout(timer);
      for (const event of events) window.removeEventListener(event, activity);
    };
  }, [holdsKey]);

  const value = useMemo(() => ({ signer, lockedBecause, signIn, signOut }), [signer, lockedBecause, signIn, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error("useSession outside WalletProvider");
  return session;
}

/** The signed-in member's city client (gasless writes), loaded with the wallet's chunk once a signer is there. */
export function useSignedClient(): UseQueryResult<CityClient, Error> {
  const { signer } = useSession();
  const city = useCity();
  return useQuery({
    queryKey: ["wallet", "client", signer?.kind, signer?.address],
    enabled: signer !== undefined && city.data !== undefined,
    staleTime: Infinity,
    gcTime: 0,
    queryFn: async () => (await import("./signedClient")).signedCityClient(city.data!, signer!),
  });
}

/**
 * A read from the chain through the signed-in member's client: for what the node does not project (a contract's
 * parameters) or may not have yet (it follows a block behind). Waits for the client; `when` adds the page's own
 * condition. Keys live under "wallet", beside the client's.
 */
export function useChainRead<T>(
  key: readonly unknown[],
  read: (client: CityClient) => Promise<T>,
  options: { when?: boolean; staleTime?: number } = {},
): UseQueryResult<T, Error> {
  const client = useSignedClient();
  return useQuery({
    queryKey: ["wallet", ...key],
    enabled: client.data !== undefined && (options.when ?? true),
    staleTime: options.staleTime,
    queryFn: () => read(client.data!),
  });
}
