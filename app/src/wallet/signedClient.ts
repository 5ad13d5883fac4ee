/**
 * A city client that signs as the member, every write relayed by the node (`gasless: true`): the member never holds
 * ETH. Reads go to the chain's public RPC; a browser wallet signs through its own provider (EIP-712 typed data).
 */
import { createPublicClient, createWalletClient, custom, http } from "viem";
import { createCityClient, type CityClient } from "@cityledger/sdk";
import type { City } from "../api/city";
import type { Signer } from "./signer";

export function signedCityClient(city: City, signer: Signer): CityClient {
  const rpcUrl = city.node.rpcUrl;
  if (!rpcUrl) throw new Error("the node publishes no chain RPC: the wallet cannot read the chain");
  const publicClient = createPublicClient({ transport: http(rpcUrl) });
  const walletClient =
    signer.kind === "injected"
      ? createWalletClient({ account: signer.address, transport: custom(signer.provider) })
      : createWalletClient({ account: signer.account, transport: http(rpcUrl) });
  return createCityClient({ publicClient, walletClient, deployment: city.deployment, ledgerUrl: window.location.origin });
}
