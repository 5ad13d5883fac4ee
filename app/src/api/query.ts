import { useQuery, type UseQueryOptions, type UseQueryResult } from "@tanstack/react-query";
import { nodeJson } from "./node";

/** The query key of a node path: every node read lives under "node", so live updates invalidate them together. */
export const nodeKey = (path: string) => ["node", path] as const;

type NodeQueryOptions<T, R> = Omit<UseQueryOptions<T, Error, R, ReturnType<typeof nodeKey>>, "queryKey" | "queryFn">;

/**
 * A read of the node through TanStack Query, keyed ["node", path]; refreshed when the live stream reports entries.
 * Pass `enabled: false` while the path is not known yet.
 *
 * @example
 * ```ts
 * const programs = useNodeQuery<ProgramsPage>("/v1/income/programs");
 * ```
 */
export function useNodeQuery<T, R = T>(path: string, options?: NodeQueryOptions<T, R>): UseQueryResult<R, Error> {
  return useQuery({
    queryKey: nodeKey(path),
    queryFn: ({ signal }) => nodeJson<T>(path, { signal }),
    ...options,
  });
}
