import { cityBallotsAbi } from "../../abis/cityBallots";
import type { CityContext, WriteErrorType, WriteParameters, WriteReturnType } from "../../types";
import { write } from "../internal/call";
import { ballotsAddress } from "../internal/ballots";
import { NO_REFERENDUM, toBallotParams, type BallotParameters } from "./params";

/** @example `const p: CreatePetitionParameters = { params, proposalId, referendum };` */
export interface CreatePetitionParameters extends WriteParameters {
  /** The petition (kind "petition", `thresholdBps` the share of the electorate that must sign). */
  params: BallotParameters;
  /** The Governor proposal the petition asks the council to take up; omit it to open `referendum` instead. */
  proposalId?: bigint | undefined;
  /** The referendum opened at the threshold: `opensAt` 0 and `closesAt` its duration in seconds. */
  referendum?: BallotParameters | undefined;
}

/** @example `const hash: CreatePetitionReturnType = await createPetition(city, { params, proposalId, referendum });` */
export type CreatePetitionReturnType = WriteReturnType;

/** @example `catch (e) { const err = e as CreatePetitionErrorType; } // e.g. CityBallotsInvalidPetitionTarget, CityBallotsInvalidThreshold` */
export type CreatePetitionErrorType = WriteErrorType;

/**
 * Creates a petition (ORCHESTRATOR): members sign until `closesAt`; the signature that reaches the threshold puts
 * `proposalId` on the council's agenda or opens `referendum`.
 *
 * @example
 * ```ts
 * await createPetition(city, { params: { kind: "petition", thresholdBps: 200, opensAt, closesAt, questionHash }, proposalId, wait: true });
 * ```
 */
export async function createPetition(context: CityContext, parameters: CreatePetitionParameters): Promise<CreatePetitionReturnType> {
  const address = ballotsAddress(context, "createPetition");
  return write(context, "createPetition", parameters, (publicClient, account) =>
    publicClient.simulateContract({
      address,
      abi: cityBallotsAbi,
      functionName: "createPetition",
      args: [toBallotParams(parameters.params), { proposalId: parameters.proposalId ?? 0n, referendum: toBallotParams(parameters.referendum ?? NO_REFERENDUM) }],
      account,
    }),
  );
}
