import { cityBallotsAbi } from "../../abis/cityBallots";
import type { CityContext, WriteErrorType, WriteParameters, WriteReturnType } from "../../types";
import { write } from "../internal/call";
import { ballotsAddress } from "../internal/ballots";
import { toBallotParams, type BallotParameters } from "./params";

/** @example `const p: CreateBallotParameters = { params };` */
export interface CreateBallotParameters extends WriteParameters {
  /** The ballot: kind, mode, options, electorate, schedule, question hash (see {@link BallotParameters}). */
  params: BallotParameters;
}

/** @example `const hash: CreateBallotReturnType = await createBallot(city, { params });` */
export type CreateBallotReturnType = WriteReturnType;

/** @example `catch (e) { const err = e as CreateBallotErrorType; } // e.g. CityBallotsInvalidOptions, CityBallotsInvalidSchedule, AccessManagedUnauthorized` */
export type CreateBallotErrorType = WriteErrorType;

/**
 * Creates a referendum or a consultation (ORCHESTRATOR). Its electorate is read at the second before creation.
 *
 * @example
 * ```ts
 * await createBallot(city, { params: { kind: "referendum", opensAt, closesAt, questionHash }, wait: true });
 * const ballotId = await getBallotCount(city);
 * ```
 */
export async function createBallot(context: CityContext, parameters: CreateBallotParameters): Promise<CreateBallotReturnType> {
  const address = ballotsAddress(context, "createBallot");
  return write(context, "createBallot", parameters, (publicClient, account) =>
    publicClient.simulateContract({
      address,
      abi: cityBallotsAbi,
      functionName: "createBallot",
      args: [toBallotParams(parameters.params)],
      account,
    }),
  );
}
