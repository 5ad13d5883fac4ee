import { AbiCoder, keccak256, id } from "ethers";
import type { ICityBallots } from "../../typechain-types";
import { cityFixture, now, register } from "../fixtures";

export const HOUR = 3600;
export const DAY = 24 * HOUR;
export const PUBLIC = 0;
export const CITIZENS = 1;
export const PRIVATE_PARTNERS = 2;
export const ASSOCIATIONS = 3;
/** Every default college. */
export const ALL_COLLEGES = 0b1111;

export const Kind = { Referendum: 0, Consultation: 1, Petition: 2 } as const;
export const State = { None: 0n, Pending: 1n, Open: 2n, Revealing: 3n, Closed: 4n, Finalized: 5n } as const;
export const YES = 0n;
export const NO = 1n;
export const BLANK = 2n;

export type BallotParams = ICityBallots.BallotParamsStruct;

/** An open, advisory referendum of every college, no flag, no districts, no quorum (schedule left to the caller). */
const DEFAULTS = {
  kind: Kind.Referendum,
  sealed_: false,
  binding: false,
  approval: false,
  optionCount: 0,
  maxApprovals: 0,
  collegeMask: ALL_COLLEGES,
  flagBit: 0,
  thresholdBps: 0,
  revealWindow: 0,
  districts: [] as number[],
};

/** Ballot parameters with {@link DEFAULTS}, opening in 100 s for 7 days. */
export async function ballotParams(o: Partial<BallotParams> = {}): Promise<BallotParams> {
  const opensAt = o.opensAt ?? (await now()) + 100;
  return {
    ...DEFAULTS,
    questionHash: id("Should the city pedestrianise the old town?"),
    ...o,
    opensAt,
    closesAt: o.closesAt ?? Number(opensAt) + 7 * DAY,
  };
}

/** A petition's referendum template (binding, 25% quorum): opens when reached, lasts `duration` seconds. */
export function referendumTemplate(o: Partial<BallotParams> = {}, duration = 14 * DAY): BallotParams {
  return { ...DEFAULTS, binding: true, thresholdBps: 2_500, questionHash: id("Referendum asked for by petition"), ...o, opensAt: 0, closesAt: duration };
}

/** The empty referendum a petition for the agenda carries. */
export const NO_REFERENDUM: BallotParams = {
  kind: Kind.Referendum,
  sealed_: false,
  binding: false,
  approval: false,
  optionCount: 0,
  maxApprovals: 0,
  collegeMask: 0,
  flagBit: 0,
  thresholdBps: 0,
  opensAt: 0,
  closesAt: 0,
  revealWindow: 0,
  districts: [],
  questionHash: "0x" + "00".repeat(32),
};

/** The commitment CityBallots expects, computed off chain. */
export function commitmentOf(ballotId: bigint, voter: string, choice: bigint, salt: string, chainId = 31337n): string {
  return keccak256(
    AbiCoder.defaultAbiCoder().encode(
      ["uint64", "bytes32", "address", "uint256", "uint256"],
      [choice, salt, voter, ballotId, chainId],
    ),
  );
}

/**
 * The city with six members: alice, bob (CITIZENS, district 1), carol (CITIZENS, district 2), dave (ASSOCIATIONS,
 * district 2), erin (PUBLIC, district 3, merchant), frank (PRIVATE_PARTNERS, district 9); the rest unregistered.
 */
export async function ballotsFixture() {
  const f = await cityFixture();
  const [alice, bob, carol, dave, erin, frank, ...rest] = f.people;
  await register(f, alice, { college: CITIZENS, district: 1 });
  await register(f, bob, { college: CITIZENS, district: 1 });
  await register(f, carol, { college: CITIZENS, district: 2 });
  await register(f, dave, { college: ASSOCIATIONS, district: 2 });
  await register(f, erin, { college: PUBLIC, district: 3, flags: 0b11n });
  await register(f, frank, { college: PRIVATE_PARTNERS, district: 9 });
  return { ...f, alice, bob, carol, dave, erin, frank, rest };
}
export type BallotsCtx = Awaited<ReturnType<typeof ballotsFixture>>;

/** Creates a ballot as the orchestrator and returns its id. */
export async function createBallot(f: BallotsCtx, o: Partial<BallotParams> = {}): Promise<{ id: bigint; params: BallotParams }> {
  const params = await ballotParams(o);
  await (await f.ballots.connect(f.orchestrator).createBallot(params)).wait();
  return { id: await f.ballots.ballotCount(), params };
}
