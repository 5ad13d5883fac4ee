import { cityBallotsAbi } from "../../abis/cityBallots";
import type { CityContext, WriteErrorType, WriteParameters } from "../../types";
import type { Hash, Hex } from "viem";
import { addressOf, signerOf, write } from "../internal/call";
import { ballotsAddress } from "../internal/ballots";
import { hashCommitment, randomSalt, saltKey, type SaltStore } from "./sealed";

/** @example `const p: CommitVoteParameters = { ballotId: 1n, choice: 0n, store };` */
export interface CommitVoteParameters extends WriteParameters {
  ballotId: bigint;
  /** Option index (single choice) or bitmap of approved options (approval). */
  choice: bigint;
  /** Default: a fresh random salt. */
  salt?: Hex | undefined;
  /** Where the choice and salt are kept for the reveal (written before the commitment is sent). */
  store?: SaltStore | undefined;
}

/** @example `const { hash, salt, commitment }: CommitVoteReturnType = await commitVote(city, { ballotId, choice });` */
export interface CommitVoteReturnType {
  hash: Hash;
  salt: Hex;
  commitment: Hex;
}

/** @example `catch (e) { const err = e as CommitVoteErrorType; } // e.g. CityBallotsWrongMode, CityBallotsNotAMember` */
export type CommitVoteErrorType = WriteErrorType;

/**
 * Commits the account's sealed vote (or replaces its commitment: the last one is the one to reveal). The choice and
 * salt go to `store` before the transaction is sent, so a crash cannot lose them.
 *
 * @example
 * ```ts
 * const store = memorySaltStore();
 * await commitVote(city, { ballotId, choice: 1n, store, wait: true });
 * // after close:
 * await revealVote(city, { ballotId, store, wait: true });
 * ```
 */
export async function commitVote(context: CityContext, parameters: CommitVoteParameters): Promise<CommitVoteReturnType> {
  const address = ballotsAddress(context, "commitVote");
  const voter = addressOf(signerOf(context, "commitVote", parameters.account).account);
  const chainId = await context.publicClient.getChainId();
  const salt = parameters.salt ?? randomSalt();
  const commitment = hashCommitment({ ballotId: parameters.ballotId, voter, choice: parameters.choice, salt, chainId });
  await parameters.store?.set(saltKey(chainId, parameters.ballotId, voter), { choice: parameters.choice, salt, commitment });
  const hash = await write(context, "commitVote", parameters, (publicClient, account) =>
    publicClient.simulateContract({ address, abi: cityBallotsAbi, functionName: "commit", args: [parameters.ballotId, commitment], account }),
  );
  return { hash, salt, commitment };
}
