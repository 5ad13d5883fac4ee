import type { Signer } from "ethers";
import type { ERC2771Forwarder } from "../../typechain-types";
import { forwardRequestTypes } from "@cityledger/sdk/relay";

export interface ForwardCall {
  to: string;
  data: string;
  gas?: bigint;
  value?: bigint;
  /** Unix seconds; default one hour from the latest block. */
  deadline?: number;
}

/**
 * Signs `call` as `signer` for `forwarder` and returns the `ForwardRequestData` that `execute` takes. Used by the
 * benchmarks and the contract tests; the SDK carries its own viem implementation for apps.
 */
export async function signForwardRequest(forwarder: ERC2771Forwarder, signer: Signer, call: ForwardCall) {
  const from = await signer.getAddress();
  const provider = signer.provider!;
  const { chainId } = await provider.getNetwork();
  const latest = await provider.getBlock("latest");
  const deadline = call.deadline ?? latest!.timestamp + 3600;
  const domain = await forwarder.eip712Domain();
  const message = {
    from,
    to: call.to,
    value: call.value ?? 0n,
    gas: call.gas ?? 300_000n,
    nonce: await forwarder.nonces(from),
    deadline,
    data: call.data,
  };
  const signature = await signer.signTypedData(
    { name: domain.name, version: domain.version, chainId, verifyingContract: await forwarder.getAddress() },
    { ForwardRequest: [...forwardRequestTypes.ForwardRequest] },
    message,
  );
  return { from, to: message.to, value: message.value, gas: message.gas, deadline, data: message.data, signature };
}
