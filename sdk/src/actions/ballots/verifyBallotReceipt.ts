import { getAddress, type Address, type Hex } from "viem";
import type { CityContext } from "../../types";
import { ledgerGet } from "../internal/ledger";
import type { LedgerEntry } from "../ledger/getEntry";
import { ReceiptVerificationError, verifyReceipt, type VerifiedReceipt } from "../ledger/verifyReceipt";

/** @example `const p: VerifyBallotReceiptParameters = { ballotId: 1n, voter, verifierKey };` */
export interface VerifyBallotReceiptParameters {
  ballotId: bigint;
  voter: Address;
  /** The ledger node's published verifier key: the checkpoint must be signed by it. */
  verifierKey: string;
}

/** @example `const { choice, cast, reveal }: VerifyBallotReceiptReturnType = await verifyBallotReceipt(city, params);` */
export interface VerifyBallotReceiptReturnType {
  ballotId: bigint;
  voter: Address;
  college: number;
  district: number;
  /** The counted choice (sealed ballots: once revealed), or null. */
  choice: bigint | null;
  commitment: Hex | null;
  /** The entry that cast the ballot that counts (last vote, last commitment or signature), proven. */
  cast: VerifiedReceipt;
  /** The reveal of a sealed ballot, proven, or null. */
  reveal: VerifiedReceipt | null;
}

interface ReceiptJson {
  ballotId: string;
  voter: Address;
  college: number;
  district: number;
  choice: string | null;
  commitment: Hex | null;
  cast: { entry: LedgerEntry };
  reveal: { entry: LedgerEntry } | null;
}

/** The entry must be the voter's own ballot event on this ballot, from the ballots contract. */
function checkEntry(context: CityContext, entry: LedgerEntry, parameters: VerifyBallotReceiptParameters, names: readonly string[]): void {
  const args = entry.event?.args ?? {};
  const ballotId = String(args.ballotId ?? args.petitionId ?? "");
  const own =
    entry.event !== null &&
    names.includes(entry.event.name) &&
    ballotId === parameters.ballotId.toString() &&
    typeof args.voter === "string" &&
    getAddress(args.voter) === getAddress(parameters.voter) &&
    getAddress(entry.log.address) === (context.addresses.cityBallots && getAddress(context.addresses.cityBallots));
  if (!own) {
    throw new ReceiptVerificationError(
      `entry ${entry.seq} is not ${parameters.voter}'s ${names.join(" or ")} on ballot ${parameters.ballotId}`,
      "The node served a receipt for another ballot or voter: report it.",
    );
  }
}

/**
 * A member's receipt for a ballot, verified: the node names the log entries of the ballot that counts (the last vote,
 * the last commitment and its reveal, or the signature); each is checked to be the voter's own event on this ballot
 * and proven to be in the city's log from the chain's own receipt and the node's signed checkpoint (see
 * {@link verifyReceipt}).
 *
 * @throws {ReceiptVerificationError} When the receipt names another ballot's or voter's entry, or a proof fails.
 * @example
 * ```ts
 * const receipt = await verifyBallotReceipt(city, { ballotId, voter: account.address, verifierKey });
 * console.log(`my ballot is entry ${receipt.cast.seq} of the log, choice ${receipt.choice}`);
 * ```
 */
export async function verifyBallotReceipt(
  context: CityContext,
  parameters: VerifyBallotReceiptParameters,
): Promise<VerifyBallotReceiptReturnType> {
  const json = await ledgerGet<ReceiptJson>(
    context,
    "verifyBallotReceipt",
    `/v1/ballots/${parameters.ballotId}/receipts/${getAddress(parameters.voter)}`,
  );
  checkEntry(context, json.cast.entry, parameters, ["VoteCast", "VoteCommitted", "PetitionSigned"]);
  if (json.reveal) checkEntry(context, json.reveal.entry, parameters, ["VoteRevealed"]);
  const prove = (entry: LedgerEntry) =>
    verifyReceipt(context, { txHash: entry.log.transactionHash, logIndex: entry.log.logIndex, verifierKey: parameters.verifierKey });
  const [cast, reveal] = await Promise.all([prove(json.cast.entry), json.reveal ? prove(json.reveal.entry) : Promise.resolve(null)]);
  return {
    ballotId: parameters.ballotId,
    voter: getAddress(json.voter),
    college: json.college,
    district: json.district,
    choice: json.choice === null ? null : BigInt(json.choice),
    commitment: json.commitment,
    cast,
    reveal,
  };
}
