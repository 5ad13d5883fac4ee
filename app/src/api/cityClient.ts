import { createPublicClient, http } from "viem";
import { createCityClient, type CityClient, type CityDeployment } from "@cityledger/sdk";

/** A read-only SDK client over viem's HTTP transport: the explorer never signs. */
export function readOnlyCityClient(deployment: CityDeployment, rpcUrl: string): CityClient {
  const publicClient = createPublicClient({ transport: http(rpcUrl) });
  return createCityClient({ publicClient, deployment, ledgerUrl: window.location.origin });
}
