/**
 * A member pays, then proves the payment is in the city's public log: the SDK recomputes the event's RFC 6962 leaf
 * from the chain's own receipt, and checks the node's audit path up to the node's latest checkpoint, whose Ed25519
 * signature is checked against the node's published key. Run with `npm start` running:
 * `npx ts-node --transpile-only examples/verify-a-receipt.ts`.
 *
 *   NODE_KEY  the node's verifier key, as published by the city (npm start prints it). Without it the example
 *             reads the key the node announces — fine for a demo, but an auditor takes it from the city, not the node.
 */
import { getAddress } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { parseCity } from "@cityledger/sdk";
import { connect, demoMemberKey, run } from "./connect";

run(async () => {
  const city = connect();
  let verifierKey = process.env.NODE_KEY;
  if (!verifierKey) {
    verifierKey = ((await (await fetch(`${city.ledgerUrl}/v1/checkpoint`, { headers: { accept: "application/json" } })).json()) as { verifierKey: string }).verifierKey;
    console.log(`(no NODE_KEY: using the key the node announces, ${verifierKey})`);
  }
  const shop = privateKeyToAccount(demoMemberKey(8)).address;
  const hash = await city.currency.transfer({ to: shop, amount: parseCity("1.20"), gasless: true, wait: true });
  const receipt = await city.publicClient.getTransactionReceipt({ hash });
  const transfer = receipt.logs.find((log) => getAddress(log.address) === getAddress(city.addresses.cityCoin))!;
  // The node checkpoints what it has followed; a just-mined payment may need a moment.
  for (let attempt = 1; ; attempt++) {
    try {
      const proof = await city.ledger.verifyReceipt({ txHash: hash, logIndex: transfer.logIndex, verifierKey });
      console.log(`payment ${hash} is entry ${proof.seq} of the log`);
      console.log(`proven against the checkpoint of size ${proof.treeSize}, root ${proof.root}, signed by the node's key`);
      return;
    } catch (error) {
      if (attempt >= 40 || !/not yet|no entry/.test((error as Error).message)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
});
