import { cityBallotsAbi } from "../../abis/cityBallots";
import { CityError } from "../../errors/base";
import type { CityContext, WriteErrorType, WriteParameters, WriteReturnType } from "../../types";
import type { Hex } from "viem";
import { addressOf, signerOf, write } from "../internal/call";
import { ballotsAddress } from "../internal/ballots";
import { saltKey, type SaltStore } from "./sealed";

/** @example `const p: RevealVoteParameters = { ballotId: 1n, store };` */
export interface RevealVoteParameters extends WriteParameters {
  ballotId: bigint;
  /** The committed choice and salt; omit both to read them from `store`. */
  choice?: bigint | undefined;
  salt?: Hex | undefined;
  store?: SaltStore | undefined;
}

/** @example `const hash: RevealVoteReturnType = await revealVote(city, { ballotId, store });` */
export type RevealVoteReturnType = WriteReturnType;

/** @example `catch (e) { const err = e as RevealVoteErrorType; } // e.g. CityBallotsBadReveal, CityBallotsWrongState` */
export type RevealVoteErrorType = WriteErrorType | CityError;

/**
 * Reveals the account's sealed vote during the reveal window, from `choice` and `salt` or from the salt store.
 *
 * @example
 * ```ts
 * await revealVote(city, { ballotId, store, wait: true });
 * ```
 */
export async function revealVote(context: CityContext, parameters: RevealVoteParameters): Promise<RevealVoteReturnType> {
  const address = ballotsAddress(context, "revealVote");
  let { choice, salt } = parameters;
  if (choice === undefined || salt === undefined) {
    const voter = addressOf(signerOf(context, "revealVote", parameters.account).account);
    const key = saltKey(await context.publicClient.getChainId(), parameters.ballotId, voter);
    const kept = await parameters.store?.get(key);
    if (!kept) {
      throw new CityError(`no sealed vote is kept for ${key}.`, {
        metaMessages: ["- Pass the choice and salt you committed, or the store commitVote wrote them to."],
        name: "SealedVoteNotFoundError",
      });
    }
    ({ choice, salt } = kept);
  }
  return write(context, "revealVote", parameters, (publicClient, account) =>
    publicClient.simulateContract({ address, abi: cityBallotsAbi, functionName: "reveal", args: [parameters.ballotId, choice, salt], account }),
  );
}
