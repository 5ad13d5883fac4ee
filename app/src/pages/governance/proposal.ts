import { useQuery } from "@tanstack/react-query";
import { decodeFunctionData, type Abi, type Address, type Hex } from "viem";
import * as abis from "@cityledger/sdk/abis";
import type { CityDeployment } from "@cityledger/sdk";
import { useCity } from "../../api";
import type { MessageKey } from "../../i18n";
import type { ProposalJson } from "./types";

/**
 * A proposal's state as a person asks it: the log's last fact (canceled, queued, executed, vetoed) or, while only
 * created, what the clock and the count say. The chain's own answer (CityGovernor.state, through the SDK) wins when
 * the city publishes an RPC: it also knows the quorums, which need the colleges' sizes at the snapshot.
 */
export type ProposalPhase = "pending" | "active" | "succeeded" | "defeated" | "queued" | "executed" | "canceled" | "vetoed" | "expired";

export const PHASE_KEYS: Record<ProposalPhase, MessageKey> = {
  pending: "governance.statePending",
  active: "governance.stateActive",
  succeeded: "governance.stateSucceeded",
  defeated: "governance.stateDefeated",
  queued: "governance.stateQueued",
  executed: "governance.stateExecuted",
  canceled: "governance.stateCanceled",
  vetoed: "governance.stateVetoed",
  expired: "governance.stateExpired",
};

export const PHASE_BADGES: Record<ProposalPhase, string> = {
  pending: "badge",
  active: "badge badge-ok",
  succeeded: "badge badge-ok",
  defeated: "badge badge-fail",
  queued: "badge badge-warn",
  executed: "badge badge-ok",
  canceled: "badge badge-fail",
  vetoed: "badge badge-fail",
  expired: "badge",
};

/** The score as a ratio (1 = 100 %), from its 1e18 fixed point. */
export const scoreOf = (p: ProposalJson): number => Number(BigInt(p.scoreWad) / 10n ** 12n) / 1e6;

function phaseFromLog(p: ProposalJson, now: number): ProposalPhase {
  if (p.status !== "created") return p.status;
  if (now <= p.voteStart) return "pending";
  if (now <= p.voteEnd) return "active";
  // Quorums unknown here: a score at or under the threshold is defeated for sure; above it, succeeded unless a quorum failed.
  return scoreOf(p) * 10_000 > p.thresholdBps ? "succeeded" : "defeated";
}

/** The phase, from the chain when it can be read, else from the log and the clock (`fromChain` says which). */
export function useProposalPhase(p: ProposalJson, now: number): { phase: ProposalPhase; fromChain: boolean } {
  const client = useCity().data?.client;
  const chain = useQuery({
    queryKey: ["chain", "proposal-state", p.id, p.status],
    enabled: client !== undefined,
    staleTime: 15_000,
    queryFn: () => client!.governance.getProposalState({ proposalId: BigInt(p.id) }),
  });
  const fallback = phaseFromLog(p, now);
  if (!chain.data) return { phase: fallback, fromChain: false };
  // The chain says "canceled" for a vetoed proposal too: the log knows which.
  return { phase: chain.data === "canceled" && p.status === "vetoed" ? "vetoed" : chain.data, fromChain: true };
}

/** What a proposal does: its calls (a draft a member co-signs has them too, before it has an id). */
export type ProposalCalls = Pick<ProposalJson, "targets" | "values" | "calldatas">;

/** A call of a proposal in words: the contract's name in this deployment, the function and its named arguments. */
export interface ReadableCall {
  target: Address;
  contract: string | undefined;
  value: bigint;
  functionName: string | undefined;
  args: { name: string; value: string }[];
  data: Hex;
}

/** The ABI of the deployment's contract `name` (CityCoin → cityCoinAbi), if the SDK has it. */
function abiOf(name: string): Abi | undefined {
  const key = `${name[0]!.toLowerCase()}${name.slice(1)}Abi`;
  return (abis as unknown as Record<string, Abi | undefined>)[key];
}

/** Decodes each call with the ABI of the contract it targets; a call the ABIs do not know stays raw data. */
export function readableCalls(p: ProposalCalls, deployment: CityDeployment | undefined): ReadableCall[] {
  const names = new Map<string, string>();
  for (const [name, c] of Object.entries(deployment?.contracts ?? {})) names.set(c.address.toLowerCase(), name);
  return p.targets.map((target, i) => {
    const data = p.calldatas[i] ?? "0x";
    const contract = names.get(target.toLowerCase());
    const base = { target, contract, value: BigInt(p.values[i] ?? "0"), data };
    const abi = contract ? abiOf(contract) : undefined;
    if (!abi) return { ...base, functionName: undefined, args: [] };
    try {
      const decoded = decodeFunctionData({ abi, data });
      const inputs = (abi.find((item) => item.type === "function" && item.name === decoded.functionName && item.inputs.length === (decoded.args?.length ?? 0)) as
        | { inputs: readonly { name?: string }[] }
        | undefined)?.inputs;
      const args = (decoded.args ?? []).map((value, k) => ({
        name: inputs?.[k]?.name || `#${k + 1}`,
        value: show(value, names),
      }));
      return { ...base, functionName: decoded.functionName, args };
    } catch {
      return { ...base, functionName: undefined, args: [] };
    }
  });
}

/** An argument as text: numbers in full, addresses named when they are the city's contracts, arrays and tuples spelled out. */
function show(value: unknown, names: Map<string, string>): string {
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "string") {
    const name = names.get(value.toLowerCase());
    return name ? `${name} (${value})` : value;
  }
  if (Array.isArray(value)) return `[${value.map((v) => show(v, names)).join(", ")}]`;
  if (value !== null && typeof value === "object") {
    return `{ ${Object.entries(value)
      .map(([k, v]) => `${k}: ${show(v, names)}`)
      .join(", ")} }`;
  }
  return String(value);
}
