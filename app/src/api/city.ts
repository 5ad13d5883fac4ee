import { useQuery, type UseQueryResult } from "@tanstack/react-query";
import { loadDeployment, type CityClient, type CityDeployment } from "@cityledger/sdk";
import { DEPLOYMENT_PATH, nodeJson } from "./node";
import type { DeploymentNodeJson } from "./types";

/** The city the node serves: its deployment (validated by the SDK), the node's log identity, and a chain client. */
export interface City {
  deployment: CityDeployment;
  node: DeploymentNodeJson;
  /**
   * A read-only SDK client on the chain's JSON-RPC, when the node publishes one (`node.rpcUrl`); pages that can work
   * from the node's read models alone do, and say so when this is absent.
   */
  client: CityClient | undefined;
}


async function loadCity(signal: AbortSignal): Promise<City> {
  const json = await nodeJson<{ node: DeploymentNodeJson }>(DEPLOYMENT_PATH, { signal });
  const deployment = loadDeployment(json);
  // viem's clients and every SDK module are a separate chunk, fetched only for a city that publishes its RPC.
  const client = json.node.rpcUrl ? (await import("./cityClient")).readOnlyCityClient(deployment, json.node.rpcUrl) : undefined;
  return { deployment, node: json.node, client };
}

/**
 * The city, loaded once from `GET /v1/deployment` (the same build serves any city). The deployment only changes when
 * the node restarts on another city, so it is not refetched by live updates.
 *
 * @example
 * ```ts
 * const city = useCity();
 * if (city.data) console.log(city.data.deployment.addresses.coin);
 * ```
 */
export function useCity(): UseQueryResult<City, Error> {
  return useQuery({ queryKey: ["city", DEPLOYMENT_PATH], queryFn: ({ signal }) => loadCity(signal), staleTime: Infinity });
}
