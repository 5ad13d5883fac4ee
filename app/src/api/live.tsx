import { createContext, useContext, useEffect, useState, type ReactNode } from "react";
import { useQueryClient, type Query } from "@tanstack/react-query";

/** Where the live stream stands: what the header's indicator shows. */
export type LiveStatus = "connecting" | "live" | "offline" | "halted";

export interface LiveState {
  status: LiveStatus;
  /** The log's size as of the last event (the SSE id), once known. */
  size: number | undefined;
  /** Why the node halted, when it did. */
  haltedReason?: string;
}

const LiveContext = createContext<LiveState>({ status: "connecting", size: undefined });

export const STREAM_PATH = "/v1/stream";
/** Refetches are grouped: a burst of batches costs one round of requests per interval, not one per batch. */
const INVALIDATE_EVERY_MS = 1000;

/** Node paths whose answer never changes (an entry, a past checkpoint, a proof at a fixed size): never refetched. */
const IMMUTABLE = /^\/v1\/(entries\/\d+|checkpoints\/\d+)$|[?&](treeSize|to)=\d+/;

function refreshable(query: Query): boolean {
  const [root, path] = query.queryKey;
  return root === "node" && typeof path === "string" && !IMMUTABLE.test(path);
}

/** After the stream closed for good (the node or a proxy answered with an error), how long before a new one is opened. */
const REOPEN_AFTER_MS = 3000;

/**
 * One EventSource on the node's `/v1/stream` for the whole app. New entries and checkpoints invalidate the node
 * queries (every `useNodeQuery`), so every page follows the log without a reload. EventSource reconnects on its own
 * after a dropped connection and resumes with Last-Event-ID; after an error answer it gives up, so the provider opens
 * a new one. When the stream comes back after being offline, every node read is refetched: what changed meanwhile
 * was never announced.
 */
export function LiveProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [state, setState] = useState<LiveState>({ status: "connecting", size: undefined });

  useEffect(() => {
    let source: EventSource | undefined;
    let invalidateTimer: ReturnType<typeof setTimeout> | undefined;
    let reopenTimer: ReturnType<typeof setTimeout> | undefined;
    let wasOffline = false;
    const invalidateSoon = () => {
      invalidateTimer ??= setTimeout(() => {
        invalidateTimer = undefined;
        void queryClient.invalidateQueries({ predicate: refreshable });
      }, INVALIDATE_EVERY_MS);
    };
    // The first event is the stream's catch-up (the current checkpoint): the pages loaded with that log already.
    let known: number | undefined;
    const onUpdate = (event: MessageEvent) => {
      const size = Number(event.lastEventId);
      if (!Number.isSafeInteger(size)) return;
      setState({ status: "live", size });
      if (known !== undefined && size > known) invalidateSoon();
      known = Math.max(known ?? 0, size);
    };
    const onOpen = () => {
      setState((s) => ({ ...s, status: "live" }));
      if (wasOffline) void queryClient.invalidateQueries({ predicate: (query) => query.queryKey[0] === "node" });
      wasOffline = false;
    };
    const open = () => {
      const stream = new EventSource(STREAM_PATH);
      source = stream;
      stream.addEventListener("open", onOpen);
      stream.addEventListener("entries", onUpdate);
      stream.addEventListener("checkpoint", onUpdate);
      stream.addEventListener("halted", (event) => {
        const { reason } = JSON.parse((event as MessageEvent<string>).data) as { reason: string };
        setState((s) => ({ ...s, status: "halted", haltedReason: reason }));
      });
      stream.addEventListener("error", () => {
        wasOffline = true;
        setState((s) => ({ ...s, status: s.status === "halted" && stream.readyState !== EventSource.CLOSED ? "halted" : "offline" }));
        if (stream.readyState === EventSource.CLOSED) {
          clearTimeout(reopenTimer);
          reopenTimer = setTimeout(open, REOPEN_AFTER_MS);
        }
      });
    };
    open();
    return () => {
      clearTimeout(invalidateTimer);
      clearTimeout(reopenTimer);
      source?.close();
    };
  }, [queryClient]);

  return <LiveContext.Provider value={state}>{children}</LiveContext.Provider>;
}

/** The live stream's state: status for the indicator, the log size as of the last event. */
export const useLive = (): LiveState => useContext(LiveContext);
