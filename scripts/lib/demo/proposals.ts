/**
 * The demo's collegial governance: three proposals of the orchestrator, each an ordinary COUNCIL call. The first
 * passed and waits in the timelock while citizens sign a veto (not yet enough of them); the second was defeated; the
 * third is open for votes.
 */
import { id } from "ethers";
import { inCollege, type DemoMember } from "./members";
import { READY, mined, type DemoContext } from "./context";
import { DAY, HOUR } from "./timeline";

/** OpenZeppelin's vote types. */
const AGAINST = 0;
const FOR = 1;
const ABSTAIN = 2;

/** How each college voted: for, against, abstain (the first members of the college vote, in index order). */
type CollegeVotes = readonly (readonly [number, number, number])[];

/** A proposal as the demo made it: its id, its description (the governor hashes it into the id) and its deadlines. */
export interface DemoProposal {
  id: bigint;
  description: string;
  /** Unix seconds: the vote opens after the snapshot and closes at the deadline. */
  snapshot: number;
  deadline: number;
}

export interface DemoGovernance {
  /** Passed and queued in the timelock; citizens are signing a veto. */
  queued: DemoProposal & { eta: number; vetoes: number; vetoesNeeded: number };
  /** Open for votes. */
  active: DemoProposal;
  defeated: DemoProposal;
}

/** Schedules the proposals, votes, queueing and vetoes; the returned function reads what was made, once played. */
export function scheduleGovernance(ctx: DemoContext, programId: bigint): () => Promise<DemoGovernance> {
  const { city, governance, timeline, actors } = ctx;
  const { governor, veto } = governance;
  const t0 = timeline.t0;
  const proposals = {
    queued: {
      description: "Raise the basic income to €60 a period (program #" + programId + ")",
      target: city.income,
      data: () => city.income.interface.encodeFunctionData("setAmountPerPeriod", [programId, 60_000_000n]),
      // PUBLIC, CITIZENS, PRIVATE_PARTNERS, ASSOCIATIONS
      votes: [[2, 0, 0], [6, 2, 0], [3, 1, 0], [1, 0, 1]] as CollegeVotes,
    },
    defeated: {
      description: "Double the city's fee on parking bookings to 10%",
      target: city.parking,
      data: () => city.parking.interface.encodeFunctionData("setCityFee", [1_000]),
      votes: [[1, 2, 0], [3, 5, 0], [2, 1, 0], [0, 2, 0]] as CollegeVotes,
    },
    active: {
      description: "Lower the energy market's grid reference price to €0.22/kWh",
      target: city.market,
      data: () => city.market.interface.encodeFunctionData("setGridPrice", [220_000]),
      votes: [[2, 0, 0], [3, 2, 1], [1, 0, 0], [0, 0, 0]] as CollegeVotes,
    },
  };
  type Name = keyof typeof proposals;
  const calls = async (name: Name): Promise<[string[], bigint[], string[], string]> => {
    const p = proposals[name];
    return [[await p.target.getAddress()], [0n], [p.data()], p.description];
  };
  const idOf = async (name: Name) => {
    const [targets, values, calldatas, description] = await calls(name);
    return governor.hashProposal(targets, values, calldatas, id(description));
  };
  const propose = async (name: Name) => mined(governor.connect(actors.orchestrator).propose(...(await calls(name))));
  const vote = async (name: Name) => {
    const proposalId = await idOf(name);
    for (const voter of voters(ctx.members, proposals[name].votes)) {
      await mined(governor.connect(ctx.wallets[voter.member.index]).castVote(proposalId, voter.support));
    }
  };

  timeline.at(t0, "governance: the orchestrator proposes", async () => {
    await propose("queued");
    await propose("defeated");
  });
  // The vote opens a day after the proposal (the governor's voting delay) and lasts seven days.
  timeline.at(t0 + DAY + HOUR, "governance: the colleges vote", async () => {
    await vote("queued");
    await vote("defeated");
  });
  timeline.at(t0 + 8 * DAY + 2 * HOUR, "governance: a new proposal", () => propose("active"));
  // Queued only now, so that its two-day veto window is still open days after the city is ready.
  timeline.at(t0 + READY, "governance: queued, citizens veto, a vote opens", async () => {
    const [targets, values, calldatas, description] = await calls("queued");
    await mined(governor.queue(targets, values, calldatas, id(description)));
    const queuedId = await idOf("queued");
    for (const citizen of inCollege(ctx.members, 1).slice(-2)) {
      await mined(veto.connect(ctx.wallets[citizen.index]).veto(queuedId));
    }
    await vote("active");
  });

  return async () => {
    const read = async (name: Name): Promise<DemoProposal> => {
      const proposalId = await idOf(name);
      return {
        id: proposalId,
        description: proposals[name].description,
        snapshot: Number(await governor.proposalSnapshot(proposalId)),
        deadline: Number(await governor.proposalDeadline(proposalId)),
      };
    };
    const queued = await read("queued");
    const [vetoes, vetoesNeeded] = await veto.vetoProgress(queued.id);
    return {
      queued: { ...queued, eta: Number(await governor.proposalEta(queued.id)), vetoes: Number(vetoes), vetoesNeeded: Number(vetoesNeeded) },
      active: await read("active"),
      defeated: await read("defeated"),
    };
  };
}

/** The voters of each college and their support, from the college's first members on. */
function voters(members: readonly DemoMember[], votes: CollegeVotes): { member: DemoMember; support: number }[] {
  return votes.flatMap(([yes, no, abstain], college) => {
    const supports = [...Array<number>(yes).fill(FOR), ...Array<number>(no).fill(AGAINST), ...Array<number>(abstain).fill(ABSTAIN)];
    return inCollege(members, college)
      .slice(0, supports.length)
      .map((member, i) => ({ member, support: supports[i] }));
  });
}
