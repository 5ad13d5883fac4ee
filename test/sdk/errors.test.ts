import hre from "hardhat";
import fs from "node:fs";
import path from "node:path";
import { expect } from "chai";
import {
  BaseError,
  ContractFunctionExecutionError,
  ContractFunctionRevertedError,
  encodeErrorResult,
  encodeFunctionData,
  keccak256,
  toHex,
  type Abi,
  type AbiParameter,
} from "viem";
import {
  basicIncomeAbi,
  cityCoinAbi,
  CityContractError,
  CityError,
  cityErrorMessages,
  cityErrorsAbi,
  decodeCityError,
  isCityContractError,
  isCityErrorName,
  version,
} from "../../sdk/src";
import { SDK_ABIS } from "../../scripts/generate-abis";

const COIN = "0x00000000000000000000000000000000000C0123" as const;
const SENDER = "0x000000000000000000000000000000000000bEEF" as const;

/** Sample value for an ABI type (the city's errors use only elementary types). */
function sample(param: AbiParameter, i: number): unknown {
  const { type } = param;
  if (type === "address") return `0x${(i + 1).toString(16).padStart(40, "0")}`;
  if (type === "bool") return true;
  if (type === "string") return "a string";
  if (type === "bytes32") return keccak256(toHex(`sample ${i}`));
  if (type === "bytes4") return "0x12345678";
  const uint = /^uint(\d+)$/.exec(type);
  if (uint) return Number(uint[1]) <= 48 ? 7 + i : 1_234_567n + BigInt(i);
  throw new Error(`no sample for ${type}`);
}

/** What viem throws when a simulation reverts on a JSON-RPC node: execution error → reverted error. */
function viemRevert(abi: Abi, data: `0x${string}`, functionName: string, args?: readonly unknown[]) {
  const reverted = new ContractFunctionRevertedError({ abi, data, functionName });
  return new ContractFunctionExecutionError(reverted, { abi, args, functionName, contractAddress: COIN, sender: SENDER });
}

describe("sdk: errors", () => {
  it("explains exactly the custom errors of the city contracts' artifacts", async () => {
    const names = new Set<string>();
    // OpenZeppelin's TimelockController has an ABI module for its events (the decoder's CityEvent); the SDK does not
    // call it, so its reverts are not among the explained errors.
    for (const { contract } of SDK_ABIS.filter((c) => c.contract !== "TimelockController")) {
      for (const item of (await hre.artifacts.readArtifact(contract)).abi) if (item.type === "error") names.add(item.name);
    }
    expect(Object.keys(cityErrorMessages).sort()).to.deep.equal([...names].sort());
    expect(cityErrorsAbi.map((e) => e.name).sort()).to.deep.equal([...names].sort());
    expect(names.size).to.be.greaterThan(80);
  });

  it("every custom error round-trips through decodeCityError with a sentence, typed args and its selector", () => {
    for (const item of cityErrorsAbi) {
      const args = item.inputs.map(sample);
      const data = encodeErrorResult({ abi: [item] as Abi, errorName: item.name, args });
      const decoded = decodeCityError(viemRevert(cityErrorsAbi as Abi, data, "someFunction"));
      expect(decoded, item.name).to.be.instanceOf(CityContractError);
      expect(decoded!.errorName).to.equal(item.name);
      expect(decoded!.args).to.deep.equal(args);
      expect(decoded!.selector).to.equal(data.slice(0, 10));
      expect(decoded!.reason, item.name).to.match(/^[a-z0-9"]/).and.not.match(/undefined|NaN|\[object/);
      expect(decoded!.reason.endsWith(".")).to.equal(false);
      expect(decoded!.shortMessage).to.equal(`someFunction reverted: ${decoded!.reason}.`);
      expect(decoded!.contractAddress).to.equal(COIN);
      expect(decoded!.sender).to.equal(SENDER);
      if (decoded!.hint) expect(decoded!.hint, item.name).to.match(/^[A-Z].*\.$/);
    }
  });

  it("the brief's example: CityCoinTransferNotAllowed(account)", () => {
    const account = "0x1234567890123456789012345678901234567890";
    const data = encodeErrorResult({ abi: cityCoinAbi, errorName: "CityCoinTransferNotAllowed", args: [account] });
    const err = decodeCityError(viemRevert(cityCoinAbi, data, "transfer", [account, 1n]));
    expect(err?.errorName).to.equal("CityCoinTransferNotAllowed");
    if (err?.errorName !== "CityCoinTransferNotAllowed") throw new Error("unreachable");
    const [who] = err.args; // typed as an address by the discriminated union
    expect(who).to.equal(account);
    expect(err.reason).to.equal(`account ${account} is not an active member nor a city account`);
    expect(err.metaMessages).to.include(`Contract: ${COIN}`);
    expect(err.message).to.contain("- CityCoin moves only between active members and city accounts");
    expect(err.message).to.contain(`Version: ${version}`);
  });

  it("decodes an error of another city contract that viem could not decode with the called contract's ABI", () => {
    // CityCoin's error raised inside a BasicIncome call: viem, holding only BasicIncome's ABI, leaves it raw.
    const data = encodeErrorResult({ abi: cityCoinAbi, errorName: "CityCoinPaused" });
    const viemError = viemRevert(basicIncomeAbi, data, "claim", [1n]);
    expect((viemError.cause as ContractFunctionRevertedError).data).to.equal(undefined);
    const err = decodeCityError(viemError);
    expect(err?.errorName).to.equal("CityCoinPaused");
    expect(err?.functionName).to.equal("claim");
    expect(err?.hint).to.contain("guardian");
  });

  it("returns null for what is not a city custom error", () => {
    expect(decodeCityError(new Error("network down"))).to.equal(null);
    expect(decodeCityError("a string")).to.equal(null);
    expect(decodeCityError(undefined)).to.equal(null);
    const errorString = encodeFunctionData({
      abi: [{ type: "function", name: "Error", inputs: [{ type: "string", name: "" }], outputs: [], stateMutability: "pure" }],
      args: ["nope"],
    });
    expect(decodeCityError(viemRevert(cityCoinAbi, errorString, "transfer", [SENDER, 1n]))).to.equal(null);
    expect(decodeCityError(viemRevert(cityCoinAbi, "0xdeadbeef", "transfer", [SENDER, 1n]))).to.equal(null);
  });

  it("returns a CityContractError as is; isCityContractError narrows by name", () => {
    const err = new CityContractError({ errorName: "CityCoinZeroAmount", args: [] });
    expect(decodeCityError(err)).to.equal(err);
    expect(isCityContractError(err)).to.equal(true);
    expect(isCityContractError(err, "CityCoinZeroAmount")).to.equal(true);
    expect(isCityContractError(err, "CityCoinPaused")).to.equal(false);
    expect(isCityContractError(new Error("x"))).to.equal(false);
    expect(isCityErrorName("CityCoinZeroAmount")).to.equal(true);
    expect(isCityErrorName("toString")).to.equal(false);
    expect(err.shortMessage).to.equal("The call reverted: the amount is zero.");
  });

  it("CityError carries shortMessage, details, metaMessages and cause, and walks the chain", () => {
    const root = new Error("socket hang up");
    const viemError = new BaseError("request failed", { cause: root });
    const err = new CityError("Could not read the balance.", { cause: viemError, metaMessages: ["- Check the RPC URL."] });
    expect(err.name).to.equal("CityError");
    expect(err.shortMessage).to.equal("Could not read the balance.");
    expect(err.details).to.equal("socket hang up");
    expect(err.metaMessages).to.deep.equal(["- Check the RPC URL."]);
    expect(err.cause).to.equal(viemError);
    expect(err.message).to.equal(
      ["Could not read the balance.", "", "- Check the RPC URL.", "", "Details: socket hang up", `Version: ${version}`].join("\n"),
    );
    expect(err.walk()).to.equal(root);
    expect(err.walk((e) => e instanceof BaseError)).to.equal(viemError);
    expect(err.walk((e) => e === "nothing")).to.equal(null);
    expect(new CityError("alone").walk()).to.be.instanceOf(CityError);
  });

  it("the version in messages is the package's", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(hre.config.paths.root, "sdk", "package.json"), "utf8"));
    expect(version).to.equal(`${pkg.name}@${pkg.version}`);
  });
});
