import { useQuery } from "@tanstack/react-query";
import { budgetPhases, type CityClient, type GetBudgetRoundReturnType } from "@cityledger/sdk";
import { useCity } from "../../../api/city";

export type PhaseName = (typeof budgetPhases)[number];

/** A round as the chain has it now (phase, vote window, ballot rule), read again every 15 s: the phase follows the chain's clock. */
export function useChainRound(roundId: string) {
  const city = useCity().data;
  return useQuery({
    queryKey: ["chain", "wallet-budget-round", roundId],
    enabled: city?.client !== undefined,
    refetchInterval: 15_000,
    queryFn: () => readRound(city!.client!, roundId),
  });
}

export interface ChainRound {
  raw: GetBudgetRoundReturnType;
  phase: PhaseName;
  proposalsEnd: number;
  supportEnd: number;
  voteStart: number;
  voteEnd: number;
  ballotRule: number;
  maxApprovals: number;
  supportThreshold: number;
}

/** The round's phase and deadlines at the latest block (read again right before a ballot is signed). */
export async function readRound(client: CityClient, roundId: string): Promise<ChainRound> {
  const raw = await client.budget.getBudgetRound({ roundId: BigInt(roundId) });
  return {
    raw,
    phase: budgetPhases[raw.phase] ?? "none",
    proposalsEnd: Number(raw.state.proposalsEnd),
    supportEnd: Number(raw.state.supportEnd),
    voteStart: Number(raw.config.voteStart),
    voteEnd: Number(raw.config.voteEnd),
    ballotRule: Number(raw.config.ballotRule),
    maxApprovals: Number(raw.config.maxApprovals),
    supportThreshold: Number(raw.state.supportThreshold),
  };
}
