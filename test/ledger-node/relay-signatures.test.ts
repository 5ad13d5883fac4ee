import { expect } from "chai";
import { hashTypedData, keccak256, recoverAddress, toHex, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { forwardRequestTypes, permitTypes } from "@cityledger/sdk/relay";
import { SignatureWorker, typedDataDigest, workerSignedAccount } from "../../ledger-node/src/relay/signatures";

/**
 * The relayer's signature check: the digest it computes with a domain separator hashed once is viem's hashTypedData,
 * and what it gets from the worker is what viem's recoverAddress and signTransaction give on the main thread.
 */
describe("Relayer signatures: digests with a cached domain separator, recovery and signing off the event loop", () => {
  it("computes the digests hashTypedData computes, and refuses what it refuses (a value too large for its type)", () => {
    const domain = { name: "CityForwarder", version: "1", chainId: 31337, verifyingContract: privateKeyToAccount(generatePrivateKey()).address };
    const from = privateKeyToAccount(generatePrivateKey()).address;
    for (let i = 0; i < 5; i++) {
      const message = { from, to: domain.verifyingContract, value: 0n, gas: 100_000n + BigInt(i), nonce: BigInt(i), deadline: 1_700_000_000 + i, data: toHex(`call ${i}`) };
      // Twice with the same domain object: the second digest uses the cached separator.
      for (let twice = 0; twice < 2; twice++) {
        expect(typedDataDigest(domain, forwardRequestTypes, "ForwardRequest", message)).to.equal(
          hashTypedData({ domain, types: forwardRequestTypes, primaryType: "ForwardRequest", message }),
        );
      }
      const permit = { owner: from, spender: domain.verifyingContract, value: 10n ** 18n, nonce: BigInt(i), deadline: 2n ** 40n };
      const coinDomain = { ...domain, name: "CityCoin" };
      expect(typedDataDigest(coinDomain, permitTypes, "Permit", permit)).to.equal(hashTypedData({ domain: coinDomain, types: permitTypes, primaryType: "Permit", message: permit }));
    }
    const tooLate = { from, to: from, value: 0n, gas: 1n, nonce: 0n, deadline: 2 ** 48, data: "0x" as const };
    expect(() => hashTypedData({ domain, types: forwardRequestTypes, primaryType: "ForwardRequest", message: tooLate })).to.throw();
    expect(() => typedDataDigest(domain, forwardRequestTypes, "ForwardRequest", tooLate)).to.throw();
  });

  const outcome = (p: Promise<string>) => p.then((address) => ({ address }), () => ({ error: true }));

  it("recovers the same signer as recoverAddress, for valid, wrong-v, tampered and malformed signatures", async () => {
    const recoverer = new SignatureWorker();
    try {
      const account = privateKeyToAccount(generatePrivateKey());
      const cases: { hash: Hex; signature: Hex }[] = [];
      for (let i = 0; i < 8; i++) {
        const hash = keccak256(toHex(`request ${i}`));
        const signature = await account.sign({ hash });
        const v = signature.slice(-2);
        cases.push(
          { hash, signature },
          // The other recovery bit: another key, which the relayer refuses as not the member's.
          { hash, signature: `${signature.slice(0, -2)}${v === "1b" ? "1c" : "1b"}` as Hex },
          { hash: keccak256(hash), signature },
          { hash, signature: `${signature.slice(0, 4)}${signature[4] === "0" ? "1" : "0"}${signature.slice(5)}` as Hex },
        );
      }
      cases.push({ hash: keccak256("0x"), signature: "0x1234" }, { hash: keccak256("0x"), signature: `0x${"00".repeat(64)}1b` });
      const expected = await Promise.all(cases.map((c) => outcome(recoverAddress(c))));
      const got = await Promise.all(cases.map((c) => outcome(recoverer.recover(c.hash, c.signature))));
      expect(got).to.deep.equal(expected);
      expect(got[0]).to.deep.equal({ address: account.address });
      expect(got[1]).to.not.deep.equal({ address: account.address });
    } finally {
      await recoverer.close();
    }
  });

  it("signs the relayer's transactions as privateKeyToAccount does (the same bytes: signatures are deterministic)", async () => {
    const key = generatePrivateKey();
    const tx = {
      type: "eip1559" as const,
      chainId: 31337,
      nonce: 7,
      to: privateKeyToAccount(generatePrivateKey()).address,
      data: toHex("execute"),
      gas: 150_000n,
      maxFeePerGas: 3_000_000_000n,
      maxPriorityFeePerGas: 1_000_000_000n,
      value: 0n,
    };
    const account = workerSignedAccount(key);
    expect(account.address).to.equal(privateKeyToAccount(key).address);
    expect(await account.signTransaction(tx)).to.equal(await privateKeyToAccount(key).signTransaction(tx));
    const closed = new SignatureWorker();
    await closed.close();
    expect(await closed.signTransaction(privateKeyToAccount(key), key, tx)).to.equal(await privateKeyToAccount(key).signTransaction(tx));
  });

  it("recovers on the main thread once closed (a relayer stopping, or a worker gone)", async () => {
    const recoverer = new SignatureWorker();
    const account = privateKeyToAccount(generatePrivateKey());
    const hash = keccak256("0x01");
    const signature = await account.sign({ hash });
    const inFlight = recoverer.recover(hash, signature);
    await recoverer.close();
    expect(await inFlight).to.equal(account.address);
    expect(await recoverer.recover(hash, signature)).to.equal(account.address);
  });
});
