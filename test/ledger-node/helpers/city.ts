/**
 * A freshly deployed city (no fixture snapshot: the Hardhat network is shared by every test file) with activity in
 * every domain the projections follow: members registered, suspended, updated; coins issued, transferred and
 * redeemed; a basic-income program created, funded and claimed in two periods; a role granted.
 */
import { MaxUint256, id } from "ethers";
import type { ContractTransactionResponse } from "ethers";
import { advance, cityFixture, coins, issue, now, register, type CityFixture } from "../../fixtures";
import { Flags, Roles } from "../../../scripts/lib/roles";

const DAY = 24 * 3600;

async function send(tx: Promise<ContractTransactionResponse>): Promise<void> {
  await (await tx).wait();
}

export async function cityWithActivity(): Promise<CityFixture> {
  const f = await cityFixture();
  const [alice, bob, carol, dave, erin] = f.people;
  const r = f.registry;

  await register(f, alice, { college: 1, district: 1, flags: Flags.RESIDENT });
  await register(f, bob, { college: 1, district: 2, flags: Flags.RESIDENT | Flags.PROSUMER });
  await register(f, carol, { college: 1, district: 2, flags: Flags.RESIDENT });
  await register(f, dave, { college: 2, district: 3, flags: Flags.MERCHANT });
  await register(f, erin, { college: 3, district: 4, flags: Flags.ASSOCIATION });

  await issue(f, alice, coins(1_000));
  await issue(f, bob, coins(400));
  await issue(f, dave, coins(250));
  await issue(f, f.admin, coins(10_000)); // the community fund: funds the income program
  await send(f.coin.connect(alice).transfer(bob.address, coins(120)));
  await send(f.coin.connect(bob).transfer(dave.address, coins(45)));
  await send(f.coin.connect(dave).transfer(carol.address, coins(12)));
  await send(f.coin.connect(alice).redeem(coins(50)));

  await send(r.connect(f.registrar).suspend(erin.address, id("reason: review")));
  await send(r.connect(f.registrar).update(dave.address, 2, 5, Flags.MERCHANT | Flags.PARKING_OWNER, id("dave-file-2")));
  await send(f.authority.connect(f.admin).grantRole(Roles.WITNESS, carol.address, 0));

  // Basic income for resident CITIZENS: two daily periods of €10, claims in both.
  const start = (await now()) + 600;
  await send(f.income.connect(f.council).createProgram(1 << 1, 1, start, DAY, 2, coins(10)));
  await send(f.coin.connect(f.admin).approve(await f.income.getAddress(), MaxUint256));
  await send(f.income.connect(f.admin).fund(1n, coins(200)));
  await advance(700);
  await send(f.income.connect(alice).claim(1n));
  await send(f.income.connect(bob).claim(1n));
  await advance(DAY);
  await send(f.income.connect(alice).claim(1n));
  await send(f.income.connect(carol).claim(1n));
  await send(f.coin.connect(carol).transfer(dave.address, coins(3)));
  return f;
}
