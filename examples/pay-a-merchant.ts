/**
 * A member pays a merchant €3.50 without holding any ETH: the SDK signs an ERC-2771 request, the ledger node's
 * relayer pays the gas. Run with `npm start` running: `npx ts-node --transpile-only examples/pay-a-merchant.ts`.
 *
 *   MERCHANT  the payee's address (default: demo member 7, a merchant)
 */
import { privateKeyToAccount } from "viem/accounts";
import type { Address } from "viem";
import { formatCity, parseCity } from "@cityledger/sdk";
import { connect, demoMemberKey, run } from "./connect";

run(async () => {
  const city = connect();
  const me = city.walletClient!.account!.address;
  const merchant = (process.env.MERCHANT as Address | undefined) ?? privateKeyToAccount(demoMemberKey(7)).address;
  const before = await city.currency.getBalance({ address: me });
  const hash = await city.currency.transfer({ to: merchant, amount: parseCity("3.50"), gasless: true, wait: true });
  const after = await city.currency.getBalance({ address: me });
  console.log(`paid €3.50 to ${merchant} in transaction ${hash}`);
  console.log(`balance: €${formatCity(before)} → €${formatCity(after)} (gas paid by the city's relayer)`);
});
