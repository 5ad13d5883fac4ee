/**
 * What every part of the demo seed works with: the city and its governance, the role holders, the members and their
 * keys, and the timeline the history is scheduled on.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { ContractTransactionResponse, Signer, Wallet } from "ethers";
import type { City } from "../deploy";
import type { Governance } from "../governance";
import type { DemoMember } from "./members";
import { DAY, HOUR, type Timeline } from "./timeline";

/** Who acts in the demo: each signer holds the role its name says (granted by deployCity). */
export interface DemoActors {
  registrar: Signer;
  issuer: Signer;
  /** Attests the reserve (RESERVE_ATTESTER): never the issuer. */
  attester: Signer;
  council: Signer;
  /** Creates ballots, budget rounds and proposals, reviews projects, posts Equal Shares results. */
  orchestrator: Signer;
  /** Registers the members' smart meters (METER_OPERATOR). */
  meterOperator: Signer;
  relayer: Signer;
  /** The community fund (a city account): receives the city budget, funds the program and the budget's winners. */
  treasury: Signer;
}

export interface DemoContext {
  hre: HardhatRuntimeEnvironment;
  city: City;
  governance: Governance;
  actors: DemoActors;
  members: DemoMember[];
  /** Member `i`'s key, connected to the chain. */
  wallets: Wallet[];
  timeline: Timeline;
}

/**
 * When the city is ready, from the timeline's start: nine days and four hours of history (long enough for a proposal
 * to be voted and queued, budget rounds to go through their phases and energy slots to settle). What must be open
 * when the city is ready opens at this time and stays open for days.
 */
export const READY = 9 * DAY + 4 * HOUR;

/** Sends a transaction and waits until it is mined. */
export async function mined(sent: Promise<ContractTransactionResponse>): Promise<void> {
  await (await sent).wait();
}
