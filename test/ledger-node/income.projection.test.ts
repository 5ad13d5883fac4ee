/**
 * The income projection across a key recovery, reduced from the real BasicIncome's logs: a member claims period 0,
 * their key is recovered (the registry notifies BasicIncome, which emits `ClaimsFollowed`), the new key claims period
 * 1. The membership's claims are served under the new key (both periods), the old key keeps its own; the projection
 * agrees with `hasClaimed` and survives replay and encode/decode.
 */
import { expect } from "chai";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { MaxUint256 } from "ethers";
import { getAddress } from "viem";
import { createQueries, incomeProjection } from "../../ledger-node/src/domains";
import { recoverKey, cityFixture, coins, issue, now, register } from "../fixtures";
import { expectDeterministic, projectCity } from "./projection-helpers";

const DAY = 24 * 3600;

async function recoveryScenario() {
  const f = await cityFixture();
  const [alice, bob, newAlice] = f.people;
  await register(f, alice);
  await register(f, bob);
  await issue(f, f.admin, coins(10_000));
  await (await f.coin.connect(f.admin).approve(f.income, MaxUint256)).wait();
  const start = (await now()) + 1000;
  const length = 10 * DAY; // longer than the migration delay: the recovery happens within period 0
  await (await f.income.connect(f.council).createProgram(1 << 1, 0, start, length, 3, coins(100))).wait();
  await (await f.income.connect(f.admin).fund(1n, coins(1_000))).wait();
  await time.increaseTo(start);
  await (await f.income.connect(alice).claim(1n)).wait();
  await (await f.income.connect(bob).claim(1n)).wait();
  await (await recoverKey(f, alice.address, newAlice.address)).wait();
  await time.increaseTo(start + length);
  await (await f.income.connect(newAlice).claim(1n)).wait();
  return { ...f, alice, bob, newAlice };
}

describe("income projection: key recoveries (ClaimsFollowed)", () => {
  it("serves a recovered membership's claims under its new key, as BasicIncome counts them, replay equal", async () => {
    const f = await loadFixture(recoveryScenario);
    const run = await projectCity(f);
    const followed = run.entries.filter((e) => e.event.contract === "BasicIncome" && e.event.name === "ClaimsFollowed");
    expect(followed).to.have.length(1);
    const state = run.engine.state(incomeProjection);
    expect(state.predecessors.get(f.newAlice.address.toLowerCase())).to.equal(f.alice.address.toLowerCase());
    const q = createQueries(run.engine);
    // The new key: its own claim (period 1), then the old key's (period 0), newest first.
    const mine = q.income.claims(f.newAlice.address);
    expect(mine.total).to.equal(2);
    expect(mine.items.map((c) => [c.period, c.account])).to.deep.equal([
      [1, getAddress(f.newAlice.address)],
      [0, getAddress(f.alice.address)],
    ]);
    expect(q.income.claims(f.newAlice.address, { order: "asc", limit: 1 }).items.map((c) => c.period)).to.deep.equal([0]);
    // The old key keeps only its own; another member is untouched.
    expect(q.income.claims(f.alice.address).items.map((c) => c.period)).to.deep.equal([0]);
    expect(q.income.claims(f.bob.address).items.map((c) => c.period)).to.deep.equal([0]);
    // BasicIncome agrees: period 0 counts as claimed for the new key (through its predecessor), and so does period 1.
    for (const period of [0, 1]) expect(await f.income.hasClaimed(1n, period, f.newAlice.address)).to.equal(true);
    expect(await f.income.predecessorOf(f.newAlice.address)).to.equal(f.alice.address);
    const decoded = expectDeterministic(f, incomeProjection, run);
    expect([...decoded.predecessors]).to.deep.equal([[f.newAlice.address.toLowerCase(), f.alice.address.toLowerCase()]]);
  });
});
