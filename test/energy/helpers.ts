import { Flags, Roles } from "../../scripts/lib/roles";
import { cityFixture, register } from "../fixtures";

/** IMeterRegistry.MeterKind. */
export const Kind = { None: 0, Production: 1, Consumption: 2, Both: 3 } as const;
/** IMeterRegistry.MeterStatus. */
export const MeterStatus = { None: 0, Active: 1, Replaced: 2, Revoked: 3 } as const;

/**
 * The city with a meter operator (METER_OPERATOR role), prosumers sol and ray (members with the PROSUMER flag),
 * consumers ann and ben (members), a member without meter and a fresh signer per meter key.
 */
export async function meterFixture() {
  const f = await cityFixture();
  const [meterOperator, sol, ray, ann, ben, plain, ...keys] = f.people;
  await (await f.authority.connect(f.admin).grantRole(Roles.METER_OPERATOR, meterOperator.address, 0)).wait();
  await register(f, sol, { flags: Flags.RESIDENT | Flags.PROSUMER, district: 2 });
  await register(f, ray, { flags: Flags.PROSUMER, district: 2 });
  for (const who of [ann, ben, plain]) await register(f, who);
  return { ...f, meterOperator, sol, ray, ann, ben, plain, keys };
}
export type MeterCtx = Awaited<ReturnType<typeof meterFixture>>;
