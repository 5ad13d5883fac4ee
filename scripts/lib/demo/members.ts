/**
 * The demo city's members: 40 people across the four colleges and five districts, each with a key derived from a fixed
 * string (public: never use these keys on a real chain). Every other part of the demo picks its actors from them.
 */
import { Wallet, id, solidityPackedKeccak256, type TransactionLike, type TransactionRequest } from "ethers";
import { Flags } from "../roles";

/** 1 CityCoin = 1_000_000 base units (6 decimals). */
export const EURO = 1_000_000n;

export const DEMO_MEMBER_COUNT = 40;
export const DEMO_DISTRICTS = 5;

/** The registrar's salt for the demo credential hashes. */
const CREDENTIAL_SALT = id("cityledger demo registrar salt");

/** The private key of demo member `index`: keccak256("cityledger demo member " + index). */
export function demoMemberKey(index: number): string {
  return id(`cityledger demo member ${index}`);
}

export interface DemoMember {
  index: number;
  key: string;
  address: string;
  college: number;
  district: number;
  flags: bigint;
  /** Salted hash of a made-up registrar file id, `DEMO-0007`. */
  credentialHash: string;
  /** Opening deposit issued to the member, in base units. */
  deposit: bigint;
}

/**
 * The demo members, a pure function of `count`. Colleges by `index % 10`: 0 PUBLIC, 1-6 CITIZENS, 7-8
 * PRIVATE_PARTNERS, 9 ASSOCIATIONS; districts 1..5; flags vary within each college.
 */
export function demoMembers(count = DEMO_MEMBER_COUNT): DemoMember[] {
  return Array.from({ length: count }, (_, index) => {
    const slot = index % 10;
    let college: number;
    let flags: bigint;
    if (slot === 0) {
      college = 0; // PUBLIC: city services and public bodies
      flags = Flags.RESIDENT;
    } else if (slot <= 6) {
      college = 1; // CITIZENS: every one a resident, some prosumers or parking owners
      flags = Flags.RESIDENT;
      if (index % 4 === 1) flags |= Flags.PROSUMER;
      if (index % 3 === 0) flags |= Flags.PARKING_OWNER;
    } else if (slot <= 8) {
      college = 2; // PRIVATE_PARTNERS: merchants, some also prosumers or residents
      flags = Flags.MERCHANT;
      if (index % 4 === 3) flags |= Flags.PROSUMER;
      if (index % 3 === 1) flags |= Flags.RESIDENT;
    } else {
      college = 3; // ASSOCIATIONS
      flags = Flags.ASSOCIATION;
      if (index % 20 === 19) flags |= Flags.PARKING_OWNER;
    }
    const key = demoMemberKey(index);
    return {
      index,
      key,
      address: new Wallet(key).address,
      college,
      district: ((index * 3) % DEMO_DISTRICTS) + 1,
      flags,
      credentialHash: solidityPackedKeccak256(["bytes32", "string"], [CREDENTIAL_SALT, `DEMO-${String(index).padStart(4, "0")}`]),
      deposit: (20n + BigInt((index * 37) % 181)) * EURO,
    };
  });
}

/** The members of `college`, in index order. */
export function inCollege(members: readonly DemoMember[], college: number): DemoMember[] {
  return members.filter((m) => m.college === college);
}

/**
 * Gas for every demo member's transaction: more than any of them uses. A fixed limit saves running each transaction
 * twice (once to estimate its gas), which halves the seed's time.
 */
const MEMBER_GAS_LIMIT = 3_000_000n;

/** A demo member's key as the seed uses it: its transactions carry {@link MEMBER_GAS_LIMIT} unless they set one. */
export class MemberWallet extends Wallet {
  override populateTransaction(tx: TransactionRequest): Promise<TransactionLike<string>> {
    return super.populateTransaction({ gasLimit: MEMBER_GAS_LIMIT, ...tx });
  }
}
