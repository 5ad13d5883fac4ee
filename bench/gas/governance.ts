import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { id } from "ethers";
import { deployCity } from "../../scripts/lib/deploy";
import { deployGovernance, handOverToGovernance } from "../../scripts/lib/governance";
import { Flags } from "../../scripts/lib/roles";
import { measureReferenceCastVote } from "./referenceGovernor";
import type { GasEntry } from "./report";
import { gasOf } from "./report";

const VOTING_DELAY = 60;
const VOTING_PERIOD = 3_600;
const TIMELOCK_DELAY = 600;
/** Members per college (PUBLIC, CITIZENS, PRIVATE_PARTNERS, ASSOCIATIONS) among the Hardhat accounts. */
const PER_COLLEGE = 4;

/**
 * CityGovernor under the default charter (four colleges), after the handover, in its steady state:
 * - `castVote`: a later voter (three members of its college, and members of the other colleges, voted before), vs
 *   the same position on a plain OpenZeppelin Governor over an ERC20Votes token (measureReferenceCastVote);
 * - `propose`: the orchestrator's one-call proposal (a redemption fee change), not the first proposal;
 * - `queue`, `execute`: that proposal, passed, into and out of the timelock (the fee change runs in `execute`);
 * - `veto`: the citizen's signature that reaches the veto threshold (10% of four citizens: the first) and cancels the
 *   timelock operation: the most a veto costs.
 */
export async function measureGovernance(hre: HardhatRuntimeEnvironment): Promise<Record<string, GasEntry>> {
  const { ethers } = hre;
  const baseline = await measureReferenceCastVote(hre);

  const [admin, registrar, orchestrator, ...rest] = await ethers.getSigners();
  const city = await deployCity(hre, admin, { grants: { REGISTRAR: [registrar.address], ORCHESTRATOR: [orchestrator.address] } });
  const colleges = [0, 1, 2, 3].map((c) => rest.slice(c * PER_COLLEGE, (c + 1) * PER_COLLEGE));
  let n = 0;
  for (const [college, members] of colleges.entries()) {
    for (const m of members) {
      await (await city.registry.connect(registrar).register(m.address, college, 1, Flags.RESIDENT, id(`bench-gov-${n++}`))).wait();
    }
  }
  const gov = await deployGovernance(hre, city, admin, { votingDelay: VOTING_DELAY, votingPeriod: VOTING_PERIOD, timelockDelay: TIMELOCK_DELAY });
  await handOverToGovernance(city, gov, admin);
  const { governor, veto } = gov;
  const advance = async (seconds: number) => {
    await ethers.provider.send("evm_increaseTime", [seconds]);
    await ethers.provider.send("evm_mine", []);
  };

  const coin = await city.coin.getAddress();
  const proposal = (bps: number) => ({
    targets: [coin],
    values: [0n],
    calldatas: [city.coin.interface.encodeFunctionData("setRedemptionFee", [bps])],
    description: `Set the redemption fee to ${bps} bps`,
  });
  const first = proposal(150);
  const measured = proposal(250);
  const vetoed = proposal(900);
  await (await governor.connect(orchestrator).propose(first.targets, first.values, first.calldatas, first.description)).wait();
  const propose = await gasOf(governor.connect(orchestrator).propose(measured.targets, measured.values, measured.calldatas, measured.description));
  await (await governor.connect(orchestrator).propose(vetoed.targets, vetoed.values, vetoed.calldatas, vetoed.description)).wait();
  const ids = await Promise.all([measured, vetoed].map((p) => governor.hashProposal(p.targets, p.values, p.calldatas, id(p.description))));
  await advance(VOTING_DELAY + 1);

  // Everyone but the last citizen votes for both proposals; the last citizen's vote on the first is measured.
  const voters = [...colleges[0], ...colleges[2], ...colleges[3], ...colleges[1]];
  const last = voters.pop()!;
  for (const pid of ids) {
    for (const v of voters) await (await governor.connect(v).castVote(pid, 1)).wait();
  }
  const castVote = await gasOf(governor.connect(last).castVote(ids[0], 1));
  await advance(VOTING_PERIOD + 1);

  const queue = await gasOf(governor.queue(measured.targets, measured.values, measured.calldatas, id(measured.description)));
  await (await governor.queue(vetoed.targets, vetoed.values, vetoed.calldatas, id(vetoed.description))).wait();
  const vetoGas = await gasOf(veto.connect(colleges[1][0]).veto(ids[1]));
  await advance(TIMELOCK_DELAY + 1);
  const execute = await gasOf(governor.execute(measured.targets, measured.values, measured.calldatas, id(measured.description)));
  if ((await city.coin.redemptionFeeBps()) !== 250n) throw new Error("bench: the executed proposal did not set the fee");

  return {
    "governance.castVote": { gas: castVote, baseline },
    "governance.propose": { gas: propose },
    "governance.queue": { gas: queue },
    "governance.execute": { gas: execute },
    "governance.veto": { gas: vetoGas },
  };
}
