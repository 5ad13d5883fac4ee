import { cityBallotsAbi } from "../../abis/cityBallots";
import type { CityContext, WriteErrorType, WriteParameters, WriteReturnType } from "../../types";
import { write } from "../internal/call";
import { ballotsAddress } from "../internal/ballots";
import { NO_REFERENDUM, toBallotParams, type BallotParameters } from "./params";

/** @example `const p: OpenPetitionParameters = { params, proposalId };` */
export interface OpenPetitionParameters extends WriteParameters {
  /**
   * The petition (kind "petition"): a member's petition is addressed to the whole city (`collegeMask` 0xffff, no
   * `flagBit`) and needs at least 5% of the electorate (`thresholdBps` >= 500); `collegeMask` defaults to 0xffff.
   */
  params: BallotParameters;
  /** The Governor proposal the petition asks the council to take up; omit it to open `referendum` instead. */
  proposalId?: bigint | undefined;
  /** The referendum opened at the threshold: `opensAt` 0 and `closesAt` its duration in seconds. */
  referendum?: BallotParameters | undefined;
}

/** @example `const hash: OpenPetitionReturnType = await openPetition(city, { params, proposalId });` */
export type OpenPetitionReturnType = WriteReturnType;

/** @example `catch (e) { const err = e as OpenPetitionErrorType; } // e.g. CityBallotsPetitionPending, CityBallotsMemberPetitionTooNarrow` */
export type OpenPetitionErrorType = WriteErrorType;

/**
 * Opens a petition as a member (an active member with no other petition collecting signatures): members sign until
 * `closesAt`; the signature that reaches the threshold puts `proposalId` on the council's agenda (through the
 * governor's `proposeByPetition`) or opens `referendum`. Gasless-capable (`gasless: true`: the city pays the gas).
 *
 * @example
 * ```ts
 * await openPetition(city, { params: { kind: "petition", thresholdBps: 500, opensAt, closesAt, questionHash }, proposalId, gasless: true, wait: true });
 * ```
 */
export async function openPetition(context: CityContext, parameters: OpenPetitionParameters): Promise<OpenPetitionReturnType> {
  const address = ballotsAddress(context, "openPetition");
  const params = toBallotParams(parameters.params);
  return write(context, "openPetition", parameters, (publicClient, account) =>
    publicClient.simulateContract({
      address,
      abi: cityBallotsAbi,
      functionName: "openPetition",
      args: [params, { proposalId: parameters.proposalId ?? 0n, referendum: toBallotParams(parameters.referendum ?? NO_REFERENDUM) }],
      account,
    }),
  );
}
