import { getAddress, type Address, type Hex } from "viem";
import { dataUseRegistryAbi } from "../../abis/dataUseRegistry";
import { CityError } from "../../errors/base";
import { pseudonymOf, saltHashOf, verifyAccessRecord, type AccessRecord } from "../../datause/records";
import type { ViolationKind } from "../../datause/bulletin";
import type { CityContext } from "../../types";
import { read } from "../internal/call";
import { ledgerGet } from "../internal/ledger";
import { moduleAddress } from "../internal/module";

/** @example `const p: GetMyAccessesParameters = { member: "0x…" };` */
export interface GetMyAccessesParameters {
  member: Address;
}

/** One access to the member's data, verified against the chain. */
export interface VerifiedAccess {
  processorId: bigint;
  /** YYYYMM. */
  period: number;
  /** Leaf index in the batch. */
  index: number;
  record: AccessRecord;
  /** The batch's on-chain root the record's inclusion proof verified against. */
  root: Hex;
  salt: Hex;
  /** Set when the node found it unlawful (no consent at any instant of the hour, or an undeclared purpose). */
  violation?: ViolationKind | undefined;
}

/** @example `const accesses: GetMyAccessesReturnType = await getMyAccesses(city, { member });` */
export type GetMyAccessesReturnType = VerifiedAccess[];

/** @example `catch (e) { const err = e as GetMyAccessesErrorType; }` */
export type GetMyAccessesErrorType = CityError;

interface AccessJson {
  processorId: string;
  period: number;
  index: number;
  record: { pseudonym: Hex; purposeId: string; category: number; count: number; timeBucket: number };
  member?: Address;
  violation?: ViolationKind;
  root: Hex;
  recordCount: number;
  salt: Hex;
  proof: Hex[];
}

/**
 * Every access to `member`'s data that processors recorded in batches whose salt is revealed, from the ledger node,
 * each checked here against the chain rather than taken on the node's word: the batch's root and record count are read
 * from DataUseRegistry.batchOf, the salt must hash to the batch's commitment, the record's pseudonym must be the
 * member's for that purpose and salt, and its inclusion proof must lead to the on-chain root. Throws
 * `AccessVerificationError` (or a Merkle proof error) when any check fails.
 *
 * @example
 * ```ts
 * for (const a of await getMyAccesses(city, { member })) console.log(a.period, a.record.count, a.violation ?? "lawful");
 * ```
 */
export async function getMyAccesses(context: CityContext, parameters: GetMyAccessesParameters): Promise<GetMyAccessesReturnType> {
  const member = getAddress(parameters.member);
  const address = moduleAddress(context, "DataUseRegistry", "getMyAccesses");
  const { accesses } = await ledgerGet<{ accesses: AccessJson[] }>(context, "getMyAccesses", `/v1/datause/members/${member}/accesses`);
  const batches = new Map<string, Promise<{ root: Hex; recordCount: number; saltCommitment: Hex }>>();
  const batchOf = (processorId: bigint, period: number) => {
    const key = `${processorId}/${period}`;
    let batch = batches.get(key);
    if (!batch) {
      batch = read(() => context.publicClient.readContract({ address, abi: dataUseRegistryAbi, functionName: "batchOf", args: [processorId, period] }));
      batches.set(key, batch);
    }
    return batch;
  };
  return Promise.all(
    accesses.map(async (a) => {
      const processorId = BigInt(a.processorId);
      const record: AccessRecord = { ...a.record, purposeId: BigInt(a.record.purposeId) };
      const batch = await batchOf(processorId, a.period);
      const where = `access ${a.index} of batch ${processorId}/${a.period}`;
      if (saltHashOf(a.salt).slice(0, 50) !== batch.saltCommitment.toLowerCase()) throw new AccessVerificationError(`${where}: the salt does not match the batch's on-chain commitment`);
      if (pseudonymOf(member, record.purposeId, a.salt) !== record.pseudonym) throw new AccessVerificationError(`${where}: the record's pseudonym is not ${member}'s`);
      verifyAccessRecord(record, a.index, batch.recordCount, a.proof, batch.root);
      return { processorId, period: a.period, index: a.index, record, root: batch.root, salt: a.salt, ...(a.violation ? { violation: a.violation } : {}) };
    }),
  );
}

/** An access the node served that the chain does not back. */
export class AccessVerificationError extends CityError {
  constructor(shortMessage: string) {
    super(shortMessage, { name: "AccessVerificationError", metaMessages: ["- The ledger node served a record that is not the processor's committed one: report it, and ask another node."] });
  }
}
