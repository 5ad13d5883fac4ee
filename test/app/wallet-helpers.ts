/**
 * What every wallet journey test needs beside the harness: the demo members' addresses, signing in as one from the
 * wallet's sign-in form (as a person does), and reads of the chain to assert what a journey did — never a write
 * through the SDK, so what the test checks is what the page sent.
 */
import fs from "node:fs";
import type { Page } from "playwright-core";
import { createPublicClient, http, type Address, type Hex, type PublicClient } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { cityCoinAbi } from "@cityledger/sdk";
import { demoMemberKey } from "../../scripts/lib/demo";
import type { AppHarness } from "./harness";

/** Demo member n's address (its key is public: the local city's demo keys). */
export const memberAddress = (n: number): Address => privateKeyToAccount(demoMemberKey(n) as Hex).address;

/** Signs in as demo member n from the wallet's sign-in form, and waits for the membership card (or, on a wallet sub-page, the signed-in line). */
export async function signInAsDemo(page: Page, n: number): Promise<void> {
  await page.getByRole("combobox").selectOption(String(n));
  await page.getByRole("button", { name: /demo member|ce membre/i }).click();
  await page.locator("[data-status], [data-signed-in]").first().waitFor({ timeout: 30_000 });
}

/** Reads of the test city's chain. */
export function chainOf(app: AppHarness) {
  const chain = (): PublicClient => createPublicClient({ transport: http(app.rpcUrl) });
  /** The deployed contracts' addresses, by contract name, from the record `npm start` wrote. */
  const addressOf = (name: string): Address => {
    const record = JSON.parse(fs.readFileSync(app.deploymentFile, "utf8")) as { contracts: Record<string, { address: Address }> };
    const contract = record.contracts[name];
    if (!contract) throw new Error(`the deployment record has no ${name}`);
    return contract.address;
  };
  return {
    chain,
    addressOf,
    balanceOf: (who: Address) => chain().readContract({ address: addressOf("CityCoin"), abi: cityCoinAbi, functionName: "balanceOf", args: [who] }),
    ethOf: (who: Address) => chain().getBalance({ address: who }),
    /** The member gives away every wei of ETH: the wallet must work without any. */
    zeroEth: (who: Address) => chain().request({ method: "hardhat_setBalance" as never, params: [who, "0x0"] as never }),
  };
}
